"""Screen shipment and supplier records; read stored results."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Header, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.api.auth import AUTH_RESPONSES, ReadKey, ScreenKey
from service.api.deps import ActiveListsDep, EngineDep, Offset, RelationsDep, SessionDep, SettingsDep
from service.api.links import location_doc, set_location
from service.api.owned import OwnResult
from service.contracts.principal import Principal
from service.contracts.screening import (
    ScreeningBatchRequest,
    ScreeningBatchResult,
    ScreeningRequest,
    ScreeningResult,
    ScreeningsPage,
)
from service.contracts.text import DateTimeText
from service.errors import NotFoundError, UnprocessableError
from service.lists.active import ActiveLists
from service.relations.active import RelationsRegistry
from service.screening.vocabulary import Verdict
from service.services.context import default_thresholds, screening_context, used_lists
from service.services.screening import Created, batch_answer, create_screenings
from service.settings import Settings
from service.store import decisions_repo, screenings_repo
from service.store.db import autocommit_session, is_postgres, transaction

router = APIRouter(prefix="/v1", tags=["screenings"], responses=AUTH_RESPONSES)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                              description="Retry-safe key: the same key and body return the "
                                                          "stored result instead of screening again.")]


@router.post("/screenings", status_code=201, summary="Screen one shipment or supplier record",
             response_model=ScreeningResult, responses={**location_doc(201), **UnprocessableError.response_doc()})
async def create_screening(body: ScreeningRequest, principal: ScreenKey, engine: EngineDep, lists: ActiveListsDep,
                           settings: SettingsDep, relations: RelationsDep,
                           idempotency_key: IdempotencyKey = None) -> Response:
    """Returns the stored result: verdict (`presumption`, `review`, `elevated`, `clear`), risk score, the
    evidence behind it and, for `presumption`/`review`, the documents needed to rebut.

    Example: `{"reference": "PO-1", "kind": "shipment", "parties": [{"role": "manufacturer",
    "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "country": "CN"}],
    "goods": [{"hs_code": "2804.61", "origin_country": "CN"}]}`"""
    created, content = await to_thread.run_sync(partial(
        _screen_and_store, engine, [body], principal, lists, relations, settings, idempotency_key,
        "screenings",
        lambda c: c.results[0]), limiter=_screening_lane())
    return _created(content, created, location=f"/v1/screenings/{created.results[0].id}")


@router.post("/screenings:batch", status_code=201, summary="Screen up to 1,000 records in one call",
             response_model=ScreeningBatchResult, responses=UnprocessableError.response_doc())
async def create_screening_batch(body: ScreeningBatchRequest, principal: ScreenKey, engine: EngineDep,
                                 lists: ActiveListsDep, settings: SettingsDep, relations: RelationsDep,
                                 idempotency_key: IdempotencyKey = None) -> Response:
    """All records are validated before any is screened; one invalid record refuses the whole call (422
    with a pointer such as `/records/3/parties/0/name`) and nothing is stored. A request holds at most 5,000
    parties (input suppliers included), 5,000 goods lines and 20,000 inputs in all (422 beyond).

    Each result is the stored one (`GET /v1/screenings/{id}`) with shared parts given once: the evidence's
    `list_entry` carries `ref`, a key into `list_entries`, and `rebuttal_checklist` the ids of `checklist`
    items, so the response grows with the records and matches, not with copies of the same entry."""
    created, content = await run_in_threadpool(
        _screen_and_store, engine, body.records, principal, lists, relations, settings, idempotency_key,
        "screenings:batch", lambda c: batch_answer(c.results))
    return _created(content, created)


# Single-record screenings in flight in the thread pool, per process. The work is mostly CPU under the GIL
# (plus a few short database waits): more threads than this only make them queue for the GIL, and starve
# the event loop that parses the next requests and sends the answers, so under a burst every request gets
# slower at once. Measured on 2 cores, 2 workers at 300/s: with 4, p99 stayed under 50 ms in most runs; with
# 8, 16 or 40 (anyio's default) a backlog built up. Batches (`screenings:batch`) use the default pool.
SCREENING_THREADS = 4
_LANES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = weakref.WeakKeyDictionary()


def _screening_lane() -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    lane = _LANES.get(loop)
    if lane is None:
        lane = _LANES[loop] = CapacityLimiter(SCREENING_THREADS)
    return lane


def _screen_and_store(engine: Engine, requests: Sequence[ScreeningRequest], principal: Principal,
                      lists: ActiveLists, relations: RelationsRegistry, settings: Settings,
                      idempotency_key: str | None, endpoint: str,
                      answer: Callable[[Created], BaseModel]) -> tuple[Created, bytes]:
    """The blocking part of a create, in one trip to the thread pool: screen (reading the organisation's
    decisions only if a party matches a list entry), store result and audit event, commit, and render the
    response body.

    The commit comes before the answer, so a 201 always means stored. The body is rendered here from the
    validated `ScreeningResult` models (the schema documented by `response_model`), not by FastAPI on the
    event loop: that would validate every result a second time and block the loop while doing it."""
    view = relations.view_for(lists)  # the organisations related to these lists' entries

    def screen_and_store(session: Session) -> Created:
        ctx = screening_context(lists, default_thresholds(settings),
                                decisions_repo.LazyDecisions(session, principal.org_id), view)
        return create_screenings(session, requests, ctx, list_versions={**lists.version_labels(), **view.versions},
                                 used=used_lists(lists, settings),
                                 idempotency_key=idempotency_key, endpoint=endpoint, principal=principal)

    if len(requests) == 1 and idempotency_key is None and is_postgres(engine):
        # The only write is one statement (result and audit event together, see `insert_with_events`),
        # atomic by itself: in autocommit mode it is the whole database work, with no BEGIN and COMMIT
        # round trips around it. Batches and idempotent creates (read, claim, write) keep a transaction.
        with autocommit_session(engine) as session:
            created = screen_and_store(session)
    else:
        with transaction(engine) as session:
            created = screen_and_store(session)
    return created, answer(created).model_dump_json().encode()


def _created(content: bytes, created: Created, location: str | None = None) -> Response:
    headers = {"Idempotent-Replayed": "true"} if created.replayed else {}
    response = Response(content, status_code=201, media_type="application/json", headers=headers)
    if location:
        set_location(response, location)
    return response


@router.get("/screenings", summary="Find stored screening results", response_model=ScreeningsPage)
def list_screenings(
    principal: ReadKey,
    session: SessionDep,
    reference: Annotated[str | None, Query(max_length=200)] = None,
    verdict: Annotated[Verdict | None, Query()] = None,
    since: Annotated[DateTimeText | None, Query(description="Only results created at or after this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> ScreeningsPage:
    total, rows = screenings_repo.search(session, org_id=principal.org_id, reference=reference, verdict=verdict,
                                         since=since,
                                         limit=limit, offset=offset)
    return ScreeningsPage(data=[ScreeningResult.model_validate(r.result) for r in rows], count=total,
                          limit=limit, offset=offset)


@router.get("/screenings/{screening_id}", summary="One stored screening result, unchanged",
            response_model=ScreeningResult, responses=NotFoundError.response_doc())
def get_screening(principal: ReadKey, result: OwnResult) -> ScreeningResult:
    """A stored result as it was answered. A batch row's id (`<batch id>-r<row>`, in every results file) gives
    the row's result with its evidence (none is kept for clear rows) and the analyst decisions in force."""
    return ScreeningResult.model_validate(result)
