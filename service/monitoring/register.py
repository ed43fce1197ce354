"""Registering suppliers for monitoring: each is screened at once and linked to that screening."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session

from service.contracts.monitoring import MAX_SUPPLIERS
from service.contracts.principal import Principal
from service.contracts.screening import ScreeningRequest
from service.errors import ConflictError, NotFoundError, UnprocessableError
from service.lists.usage import ListsUsed
from service.monitoring.rescreen import matched_pairs
from service.screening.record import Record
from service.screening.verdict import ScreeningContext
from service.services.batch_rows import batch_columns, row_record
from service.services.screening import create_screenings
from service.store import auth_repo, batches_repo, monitor_repo
from service.store.monitor_tables import SupplierRow


@dataclass(frozen=True)
class Skipped:
    reference: str
    reason: str


def register(session: Session, principal: Principal, requests: Sequence[ScreeningRequest], ctx: ScreeningContext,
             labels: dict[str, str], used: ListsUsed) -> list[SupplierRow]:
    """Screen and store every supplier in the caller's transaction; a reference already registered is a 409."""
    refs = [r.reference for r in requests]
    twice = sorted(ref for ref, n in Counter(refs).items() if n > 1)
    if twice:
        raise UnprocessableError(f"references appear more than once: {', '.join(twice[:10])}")
    taken = monitor_repo.existing_references(session, principal.org_id, refs)
    if taken:
        raise ConflictError(f"already monitored: {', '.join(sorted(taken)[:10])}")
    created = create_screenings(session, requests, ctx, list_versions=labels, used=used, idempotency_key=None,
                                endpoint="suppliers", principal=principal)
    rows = []
    for req, res in zip(requests, created.results, strict=True):
        row = SupplierRow(id=str(uuid.uuid4()), org_id=principal.org_id, reference=req.reference,
                          name=req.parties[0].name, request=req.model_dump(mode="json"), last_screening_id=res.id,
                          last_verdict=res.verdict, last_risk_score=res.risk_score, last_matches=matched_pairs(res))
        rows.append(row)
        auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="supplier.created",
                            subject=row.id, list_versions=labels,
                            details={"reference": row.reference, "verdict": res.verdict, "screening_id": res.id})
    session.add_all(rows)
    session.flush()
    return rows


def batch_requests(session: Session, org_id: str, batch_id: str) -> tuple[list[ScreeningRequest], list[Skipped]]:
    """The rows of a finished batch of the organisation as supplier screening requests."""
    batch = batches_repo.get(session, org_id, batch_id)
    if batch is None:
        raise NotFoundError(f"no batch {batch_id!r}")
    if batch.status != "done":
        raise ConflictError(f"batch {batch_id!r} is {batch.status}; only a finished batch can be registered")
    if batch.rows_total > MAX_SUPPLIERS:
        raise UnprocessableError(f"batch has {batch.rows_total} rows; at most {MAX_SUPPLIERS} per call")
    columns = batch_columns(batch)
    requests, skipped = [], []
    for chunk in monitor_repo.batch_chunks(session, batch_id):
        for row in chunk.rows:
            record = row_record(row, columns)
            try:
                requests.append(record_request(record))
            except ValidationError as exc:
                skipped.append(Skipped(record.reference, exc.errors()[0].get("msg", "invalid")))
    return requests, skipped


def record_request(record: Record) -> ScreeningRequest:
    p = record.parties[0]
    party = {"role": "supplier", "name": p.name, "type": p.type, "chinese_name": p.chinese_name,
             "address": p.address, "city": p.city, "country": p.country}
    goods = [{"hs_code": g.hs_code, "origin_country": g.origin_country} for g in record.goods if g.hs_code]
    return ScreeningRequest.model_validate({"reference": record.reference, "kind": "supplier",
                                            "parties": [party], "goods": goods})
