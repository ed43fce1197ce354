"""Screen shipment and supplier records; read stored results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from service.api.auth import AUTH_RESPONSES, ReadKey, ScreenKey
from service.api.context import ScreeningContextDep
from service.api.deps import ActiveListsDep, SessionDep
from service.api.errors import NotFoundError, UnprocessableError
from service.api.schemas_screening import (
    ScreeningBatchRequest,
    ScreeningBatchResult,
    ScreeningRequest,
    ScreeningResult,
    ScreeningsPage,
)
from service.services.screening import create_screenings
from service.store import screenings_repo

router = APIRouter(prefix="/v1", tags=["screenings"], responses=AUTH_RESPONSES)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                              description="Retry-safe key: the same key and body return the "
                                                          "stored result instead of screening again.")]


@router.post("/screenings", status_code=201, summary="Screen one shipment or supplier record",
             response_model=ScreeningResult, responses=UnprocessableError.response_doc())
def create_screening(body: ScreeningRequest, principal: ScreenKey, session: SessionDep, lists: ActiveListsDep,
                     ctx: ScreeningContextDep, response: Response, idempotency_key: IdempotencyKey = None
                     ) -> ScreeningResult:
    """Returns the stored result: verdict (`presumption`, `review`, `elevated`, `clear`), risk score, the
    evidence behind it and, for `presumption`/`review`, the documents needed to rebut.

    Example: `{"reference": "PO-1", "kind": "shipment", "parties": [{"role": "manufacturer",
    "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "country": "CN"}],
    "goods": [{"hs_code": "2804.61", "origin_country": "CN"}]}`"""
    created = create_screenings(session, [body], ctx, list_versions=lists.version_labels(),
                                idempotency_key=idempotency_key, endpoint="screenings", principal=principal)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return created.results[0]


@router.post("/screenings:batch", status_code=201, summary="Screen up to 1,000 records in one call",
             response_model=ScreeningBatchResult, responses=UnprocessableError.response_doc())
def create_screening_batch(body: ScreeningBatchRequest, principal: ScreenKey, session: SessionDep,
                           lists: ActiveListsDep,
                           ctx: ScreeningContextDep, response: Response, idempotency_key: IdempotencyKey = None
                           ) -> ScreeningBatchResult:
    """All records are validated before any is screened; one invalid record refuses the whole call (422
    with a pointer such as `/records/3/parties/0/name`) and nothing is stored."""
    created = create_screenings(session, body.records, ctx, list_versions=lists.version_labels(),
                                idempotency_key=idempotency_key, endpoint="screenings:batch", principal=principal)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return ScreeningBatchResult(data=created.results, count=len(created.results))


@router.get("/screenings", summary="Find stored screening results", response_model=ScreeningsPage)
def list_screenings(
    principal: ReadKey,
    session: SessionDep,
    reference: Annotated[str | None, Query(max_length=200)] = None,
    verdict: Annotated[Literal["presumption", "review", "elevated", "clear"] | None, Query()] = None,
    since: Annotated[datetime | None, Query(description="Only results created at or after this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ScreeningsPage:
    total, rows = screenings_repo.search(session, org_id=principal.org_id, reference=reference, verdict=verdict,
                                         since=since,
                                         limit=limit, offset=offset)
    return ScreeningsPage(data=[ScreeningResult.model_validate(r.result) for r in rows], count=total,
                          limit=limit, offset=offset)


@router.get("/screenings/{screening_id}", summary="One stored screening result, unchanged",
            response_model=ScreeningResult, responses=NotFoundError.response_doc())
def get_screening(screening_id: str, principal: ReadKey, session: SessionDep) -> ScreeningResult:
    row = screenings_repo.get(session, screening_id)
    if row is None or row.org_id != principal.org_id:  # another organisation's id is "not found"
        raise NotFoundError(f"no screening {screening_id!r}")
    return ScreeningResult.model_validate(row.result)
