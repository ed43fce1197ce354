"""Screen one record from the console: a supplier, or a shipment with its parties and goods lines, for the
analyst with one name to check rather than a spreadsheet. The record is screened and stored exactly as
POST /v1/screenings does it, and its result page shows the verdict with every evidence item."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import Response

from service.api.deps import SessionDep
from service.contracts.principal import Principal
from service.contracts.screening import ScreeningRequest
from service.lists.active import ActiveLists
from service.reports.render import render_screening
from service.screening.reasons import reason
from service.screening.record import ROLES
from service.services.context import default_thresholds, screening_context, used_lists
from service.services.screening import create_screenings
from service.settings import Settings
from service.store import decisions_repo, screenings_repo
from service.ui import evidence
from service.ui.render import not_found, page
from service.ui.session import PREFIX, ReadUser, ScreenUser, check_csrf

router = APIRouter(prefix=PREFIX, include_in_schema=False)
PARTIES, GOODS, INPUTS = 4, 3, 2  # blank rows on the form; empty ones are left out
PARTY_FIELDS = ("role", "name", "chinese_name", "country", "address", "city")
GOODS_FIELDS = ("hs_code", "description", "origin_country", "origin_region")
INPUT_FIELDS = ("material", "origin_country", "origin_region", "supplier")


def _form_context(form: dict[str, str] | None = None, errors: list[str] | None = None) -> dict[str, Any]:
    return {"form": form or {"kind": "supplier", "p0_role": "supplier"}, "errors": errors or [], "roles": ROLES,
            "parties": range(PARTIES), "goods": range(GOODS), "inputs": range(INPUTS)}


@router.get("/screen")
def screen_page(request: Request, user: ScreenUser) -> Response:
    return page(request, "screen.html", _form_context(), user=user)


def request_body(form: dict[str, str]) -> dict[str, Any]:
    """The form as a `ScreeningRequest` body: filled rows only, their numbers kept for error messages."""
    def value(key: str) -> str | None:
        return (form.get(key) or "").strip() or None

    kind = "shipment" if form.get("kind") == "shipment" else "supplier"
    parties: list[dict[str, Any]] = [{f: value(f"p{i}_{f}") for f in PARTY_FIELDS} for i in range(PARTIES)
                                     if value(f"p{i}_name")]
    for party in parties:
        party["role"] = party["role"] or "supplier"
        if party["role"] == "upstream_supplier":
            party["tier"] = 2
    goods = []
    for g in range(GOODS):
        line = {f: value(f"g{g}_{f}") for f in GOODS_FIELDS}
        inputs: list[dict[str, Any]] = [{f: value(f"g{g}_i{j}_{f}") for f in INPUT_FIELDS} for j in range(INPUTS)
                                        if value(f"g{g}_i{j}_material")]
        for item in inputs:
            supplier = item.pop("supplier")
            if supplier:
                item["supplier"] = {"name": supplier}
        if line["hs_code"] or inputs:
            goods.append({**{k: v for k, v in line.items() if v is not None}, "inputs": inputs})
    reference = value("reference") or f"console {datetime.now(UTC):%Y-%m-%d %H:%M}"
    return {"reference": reference, "kind": kind, "goods": [_compact(g) for g in goods],
            "parties": [{k: v for k, v in p.items() if v is not None} for p in parties]}


def _compact(line: dict[str, Any]) -> dict[str, Any]:
    line["inputs"] = [{k: v for k, v in item.items() if v is not None} for item in line["inputs"]]
    return line


def _errors(exc: ValidationError) -> list[str]:
    """Validation errors in the form's words: "Party 1, country: ..."."""
    names = {"parties": "Party", "goods": "Goods line", "inputs": "input"}
    found = []
    for err in exc.errors():
        parts, loc = [], list(err["loc"])
        while loc:
            part = loc.pop(0)
            if part in names and loc and isinstance(loc[0], int):
                parts.append(f"{names[str(part)]} {int(loc.pop(0)) + 1}")
            else:
                parts.append(str(part).replace("_", " "))
        found.append(f"{', '.join(parts) or 'record'}: {err['msg']}")
    return found


@router.post("/screen")
async def screen_submit(request: Request, user: ScreenUser, session: SessionDep) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, user, form.get("csrf"))
    body = request_body(form)
    if not body["parties"]:
        return page(request, "screen.html", _form_context(form, ["Give at least one party's name."]), user=user,
                    status=422)
    try:
        parsed = ScreeningRequest.model_validate(body)
    except ValidationError as exc:
        return page(request, "screen.html", _form_context(form, _errors(exc)), user=user, status=422)
    state = request.app.state
    screening_id = await run_in_threadpool(_screen, session, parsed, state.registry.current(), state.settings,
                                           user.principal)
    return RedirectResponse(f"{PREFIX}/screenings/{screening_id}", status_code=303)


def _screen(session: Session, parsed: ScreeningRequest, lists: ActiveLists, settings: Settings,
            principal: Principal) -> str:
    """Screened and stored as POST /v1/screenings does it, in the request's transaction; the result's id."""
    decisions = decisions_repo.LazyDecisions(session, principal.org_id)
    ctx = screening_context(lists, default_thresholds(settings), decisions)
    created = create_screenings(session, [parsed], ctx, list_versions=lists.version_labels(),
                                used=used_lists(lists, settings), idempotency_key=None,
                                endpoint="screenings", principal=principal)
    return created.results[0].id


@router.get("/screenings/{screening_id}")
def result_page(request: Request, screening_id: str, user: ReadUser, session: SessionDep) -> Response:
    row = screenings_repo.get(session, user.principal.org_id, screening_id)
    if row is None:
        return not_found(request, user, f"There is no screening {screening_id} in your organisation.")
    result = row.result
    items = evidence.detail(result, [], "", None)
    return page(request, "screening.html", {"r": result, "items": items, "reason": reason(result["evidence"]),
                                            "record_in": row.request}, user=user)


@router.get("/screenings/{screening_id}/report")
def result_report(request: Request, screening_id: str, user: ReadUser, session: SessionDep) -> Response:
    """The printable evidence report, as GET /v1/screenings/{id}/report serves it."""
    row = screenings_repo.get(session, user.principal.org_id, screening_id)
    if row is None:
        return not_found(request, user, f"There is no screening {screening_id} in your organisation.")
    return HTMLResponse(render_screening(row.result), headers={"Cache-Control": "no-store"})
