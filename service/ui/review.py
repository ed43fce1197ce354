"""Review: the non-clear rows of a batch (sort, filter by verdict, sector and score) and one row's evidence."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from service.api.deps import SessionDep
from service.jobs.chunks import batch_columns, row_record
from service.reports.render import render_screening
from service.screening.record import Record
from service.screening.verdict import screen
from service.services.batch_rows import row_result, screening_id, view
from service.services.context import default_thresholds, screening_context
from service.store import batches_repo, decisions_repo
from service.store.tables import BatchRow
from service.ui import evidence
from service.ui.queries import SORTS, decisions_for, input_rows, own_batch, review_page
from service.ui.render import not_found, page
from service.ui.session import PREFIX, ConsoleUser, ReadUser

router = APIRouter(prefix=PREFIX, include_in_schema=False)
PAGE_ROWS = 100
Verdict = Literal["presumption", "review", "elevated", "clear"]


def party_of(batch: BatchRow, row: dict[str, Any] | None) -> Record | None:
    """The row as the engine screened it (name, country, ...), rebuilt from the stored input row."""
    if row is None:
        return None
    return row_record(row, batch_columns(batch))


@router.get("/batches/{batch_id}/review")
def review(request: Request, batch_id: str, user: ReadUser, session: SessionDep,
           verdict: Annotated[Verdict | Literal[""], Query()] = "",
           sector: Annotated[str, Query(max_length=200)] = "",
           min_score: Annotated[str, Query(max_length=3, pattern=r"^\d*$")] = "",
           sort: Annotated[str, Query(max_length=10)] = "score",
           page_no: Annotated[int, Query(alias="page", ge=1)] = 1) -> Response:
    batch = own_batch(session, batch_id, user.principal.org_id)
    if batch is None:
        return not_found(request, user, f"There is no batch {batch_id} in your organisation.")
    sort = sort if sort in SORTS else "score"
    floor = min(int(min_score), 100) if min_score else None  # the form sends "" when the box is empty
    total, shown = review_page(session, batch_id, verdict=verdict or None, min_score=floor, sector=sector or None,
                               sort=sort, limit=PAGE_ROWS, offset=(page_no - 1) * PAGE_ROWS)
    pages = max(1, ceil(total / PAGE_ROWS))
    inputs = input_rows(session, batch_id, [r.row_index for r in shown])
    decided = decisions_for(session, user.principal.org_id, [r.name for r in shown])
    table = []
    for r in shown:
        record = party_of(batch, inputs.get(r.row_index))
        party = record.parties[0] if record else None
        n = r.row_number or (inputs.get(r.row_index) or {}).get("n")
        table.append({"f": r, "n": n, "v": view(r), "sid": screening_id(batch_id, n) if n else None, "party": party,
                      "reference": record.reference if record else None, "top": evidence.top_match(r.result),
                      "place": evidence.place(r.result), "sectors": evidence.sectors(r.result),
                      "decisions": evidence.row_decisions(r.result, decided, r.name, party.country if party else None)})
    filters = {"verdict": verdict, "sector": sector, "min_score": "" if floor is None else floor, "sort": sort}
    return page(request, "review.html", {"b": batch, "rows": table, "filters": filters, "sectors": evidence.families(),
                                         "total": total, "page": page_no, "pages": pages}, user=user)


def row_context(session: Session, user: ConsoleUser, batch: BatchRow, row_number: int) -> dict[str, Any] | None:
    """What the row page and the row report show, as stored and after decisions; None when the spreadsheet row
    `row_number` is not a row of the batch that was not clear as screened."""
    found = batches_repo.finding_at(session, batch.id, row_number)
    if found is None:
        return None
    row = input_rows(session, batch.id, [found.row_index]).get(found.row_index)
    record = party_of(batch, row)
    party = record.parties[0] if record else None
    country = party.country if party else None
    decided = decisions_for(session, user.principal.org_id, [found.name])
    headers = list(zip(batch.headers, row["v"], strict=False)) if row else []
    shown = view(found)
    return {"b": batch, "f": found, "v": shown, "rn": row_number, "sid": screening_id(batch.id, row_number),
            "row": row, "record": record, "party": party, "country": country, "cells": headers,
            "items": evidence.detail({"evidence": shown.evidence}, decided, found.name, country),
            "checklist": evidence.checklist(shown.checklist), "reference": record.reference if record else None}


def with_now(request: Request, session: Session, user: ConsoleUser, ctx: dict[str, Any]) -> dict[str, Any]:
    """The row page's context plus the row screened again with today's lists and decisions ("reflected at
    once"); only the page shows it, so the report and a successful decision skip it."""
    record = ctx["record"]
    if record is None:
        return {**ctx, "now": None}
    lists = request.app.state.registry.current()
    lists_ctx = screening_context(lists, default_thresholds(request.app.state.settings),
                                  decisions_repo.active_map(session, user.principal.org_id),
                                  request.app.state.relations.view_for(lists))
    outcome = screen(record, lists_ctx)
    return {**ctx, "now": {"verdict": outcome.verdict, "risk_score": outcome.risk_score, "summary": outcome.summary}}


@router.get("/batches/{batch_id}/rows/{row}")
def row_page(request: Request, batch_id: str, row: int, user: ReadUser, session: SessionDep,
             decided: str | None = None) -> Response:
    """One row, by the number a spreadsheet shows for it (header = row 1)."""
    batch = own_batch(session, batch_id, user.principal.org_id)
    ctx = row_context(session, user, batch, row) if batch else None
    if ctx is None:
        return not_found(request, user, f"Row {row} is not a non-clear row of batch {batch_id}.")
    return page(request, "row.html", {**with_now(request, session, user, ctx), "decided": decided}, user=user)


@router.get("/batches/{batch_id}/rows/{row}/report")
def row_report(request: Request, batch_id: str, row: int, user: ReadUser, session: SessionDep) -> Response:
    """The row's printable evidence report, as GET /v1/screenings/{id}/report serves it for the row's id."""
    result = row_result(session, user.principal.org_id, screening_id(batch_id, row))
    if result is None:
        return not_found(request, user, f"Batch {batch_id} has no screened row {row}.")
    return HTMLResponse(render_screening(result), headers={"Cache-Control": "no-store"})
