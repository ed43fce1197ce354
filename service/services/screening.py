"""Screening use case: request models -> domain record -> verdict -> stored, immutable result."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from service.contracts.principal import Principal
from service.contracts.screening import (
    INPUT_SUPPLIER_ROLE,
    ChecklistItemOut,
    ChecklistRefOut,
    PartyFields,
    PartyIn,
    ScreeningBatchItem,
    ScreeningBatchResult,
    ScreeningRequest,
    ScreeningResult,
)
from service.errors import UnprocessableError
from service.lists.usage import ListsUsed, with_caveat
from service.observability.metrics import observe_screening
from service.screening.checklist import ChecklistItem
from service.screening.record import GoodsLine, Input, Party, Record
from service.screening.verdict import ScreeningContext, ScreeningOutcome, screen
from service.store import screenings_repo
from service.store.tables import IdempotencyRow
from service.timestamps import utcnow


@dataclass(frozen=True)
class Created:
    results: list[ScreeningResult]
    replayed: bool


def to_record(req: ScreeningRequest) -> Record:
    parties = tuple(_party(p, f"/parties/{i}", p.role) for i, p in enumerate(req.parties))
    goods = tuple(
        GoodsLine(
            pointer=f"/goods/{i}", hs_code=g.hs_code, description=g.description, origin_country=g.origin_country,
            origin_region=g.origin_region, value=g.value, currency=g.currency,
            inputs=tuple(
                Input(material=inp.material, pointer=f"/goods/{i}/inputs/{j}", origin_country=inp.origin_country,
                      origin_region=inp.origin_region,
                      supplier=_party(inp.supplier, f"/goods/{i}/inputs/{j}/supplier", inp.supplier.role)
                      if inp.supplier else None)
                for j, inp in enumerate(g.inputs)
            ),
        )
        for i, g in enumerate(req.goods)
    )
    return Record(reference=req.reference, kind=req.kind, parties=parties, goods=goods)


def _party(p: PartyFields | PartyIn, pointer: str, role: str | None) -> Party:
    return Party(role=role or INPUT_SUPPLIER_ROLE, name=p.name, pointer=pointer, type=p.type,
                 chinese_name=p.chinese_name, address=p.address, city=p.city, region=p.region, country=p.country,
                 tier=p.tier, role_assumed=role is None)


def request_warnings(req: ScreeningRequest) -> list[str]:
    """What the result should say about the request itself: the roles it assumed."""
    return [f"/goods/{i}/inputs/{j}/supplier: no role given; screened as {INPUT_SUPPLIER_ROLE}"
            for i, g in enumerate(req.goods) for j, inp in enumerate(g.inputs)
            if inp.supplier is not None and inp.supplier.role is None]


def result_of(req: ScreeningRequest, outcome: ScreeningOutcome, list_versions: dict[str, str], used: ListsUsed,
              warnings: Sequence[str] = ()) -> ScreeningResult:
    """The result, with the lists it was screened against and their warnings as of now (a clear verdict's
    summary says when a list behind it is partial or stale)."""
    return ScreeningResult.model_validate({
        "id": str(uuid.uuid4()), "reference": req.reference, "kind": req.kind, "verdict": outcome.verdict,
        "risk_score": outcome.risk_score, "summary": with_caveat(outcome.summary, outcome.verdict, used.caveat()),
        "evidence": [e.to_dict() for e in outcome.evidence],
        "rebuttal_checklist": [checklist_item(item) for item in outcome.checklist],
        "list_versions": list_versions, "created_at": utcnow(), "lists": used.lists,
        "warnings": [*used.warnings, *warnings, *request_warnings(req)],
    })


def create_screenings(session: Session, requests: Sequence[ScreeningRequest], ctx: ScreeningContext, *,
                      list_versions: dict[str, str], used: ListsUsed, idempotency_key: str | None, endpoint: str,
                      principal: Principal) -> Created:
    """Screen every record first, then store all results in the caller's transaction (all or nothing)."""
    dumped = [r.model_dump(mode="json") for r in requests]
    request_hash = _hash(dumped)
    endpoint = f"{principal.org_id}:{endpoint}"  # keys are per organisation
    if idempotency_key:
        replay = _replay(session, principal.org_id, idempotency_key, endpoint, request_hash)
        if replay is not None:
            return Created(replay, replayed=True)
    results = [result_of(req, _screen(req, ctx), list_versions, used) for req in requests]
    if idempotency_key:
        claimed = screenings_repo.claim_key(session, IdempotencyRow(
            key=idempotency_key, endpoint=endpoint, request_hash=request_hash, resource_ids=[r.id for r in results]))
        if not claimed:  # a concurrent request with the same key won the race: answer with its results
            replay = _replay(session, principal.org_id, idempotency_key, endpoint, request_hash)
            if replay is not None:
                return Created(replay, replayed=True)
    stored = [res.model_dump(mode="json") for res in results]
    at = utcnow()
    screenings_repo.insert_with_events(
        session,
        [_row(req, res, body, principal.org_id) for req, res, body in zip(dumped, results, stored, strict=True)],
        [{"org_id": principal.org_id, "actor": principal.actor, "type": "screening.created", "subject": res.id,
          "at": at, "request_hash": request_hash, "list_versions": list_versions,
          "details": {"reference": res.reference, "verdict": res.verdict}} for res in results])
    return Created(results, replayed=False)


def _screen(req: ScreeningRequest, ctx: ScreeningContext) -> ScreeningOutcome:
    with observe_screening():
        return screen(to_record(req), ctx)


def _replay(session: Session, org_id: str, key: str, endpoint: str, request_hash: str
            ) -> list[ScreeningResult] | None:
    seen = screenings_repo.find_key(session, key, endpoint)
    if seen is None:
        return None
    if seen.request_hash != request_hash:
        raise UnprocessableError(f"Idempotency-Key {key!r} was already used with a different request body")
    rows = screenings_repo.get_many(session, org_id, seen.resource_ids)
    return [ScreeningResult.model_validate(r.result) for r in rows]


def checklist_item(item: ChecklistItem) -> dict[str, object]:
    applies = ["all"] if item.applies_to == "all" else list(item.applies_to)
    return {"id": item.id, "text": item.text, "category": item.category, "applies_to": applies,
            "sources": list(item.source_keys), "done": False}


def _row(request: dict[str, Any], res: ScreeningResult, result: dict[str, Any], org_id: str) -> dict[str, Any]:
    return {"id": res.id, "org_id": org_id, "reference": res.reference, "kind": res.kind, "verdict": res.verdict,
            "risk_score": res.risk_score, "created_at": res.created_at, "request": request, "result": result,
            "list_versions": res.list_versions, "previous_screening_id": None}


def _hash(dumped: Sequence[dict[str, Any]]) -> str:
    body = json.dumps(list(dumped), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _ref(entry: dict[str, Any]) -> str:
    return f"{entry['source']}/{entry['entry_id']}"


def _entry_ref(entry: dict[str, Any]) -> dict[str, Any]:
    return {"ref": _ref(entry), "source": entry["source"], "entry_id": entry["entry_id"], "name": entry["name"]}


def batch_answer(results: Sequence[ScreeningResult]) -> ScreeningBatchResult:
    """The `screenings:batch` response: each list entry and checklist item once, referenced from the results,
    so the response grows with the matches, not with copies of the same entry (one request's results all
    come from one list view, so an entry id names one content)."""
    entries: dict[str, dict[str, Any]] = {}
    checklist: dict[str, ChecklistItemOut] = {}
    data = []
    for result in results:
        for item in result.evidence:
            if item.list_entry is not None:
                entries.setdefault(_ref(item.list_entry), item.list_entry)
        evidence = []
        for item in result.evidence:
            update: dict[str, Any] = {}
            if item.list_entry is not None:
                update["list_entry"] = _entry_ref(item.list_entry)
            if item.match and item.match.get("linked_entries"):
                # A linked entry that is matched itself is in `list_entries`: refer to it, don't repeat it.
                update["match"] = {**item.match, "linked_entries": [
                    _entry_ref(e) if _ref(e) in entries else e for e in item.match["linked_entries"]]}
            evidence.append(item.model_copy(update=update) if update else item)
        for check in result.rebuttal_checklist:
            checklist.setdefault(check.id, check)
        data.append(ScreeningBatchItem.model_construct(**{
            **dict(result), "evidence": evidence,
            "rebuttal_checklist": [ChecklistRefOut(id=c.id, done=c.done) for c in result.rebuttal_checklist]}))
    lists = list({(u.source, u.version): u for r in results for u in r.lists}.values())
    warned = [w for r in results[:1] for w in r.warnings if any(w.startswith(_label(u.source) + ":") for u in lists)]
    return ScreeningBatchResult(data=data, count=len(data), list_entries=entries, checklist=checklist,
                                lists=lists, warnings=warned)


def _label(source: str) -> str:
    from service.screening.reasons import SOURCES

    return SOURCES.get(source, source)
