"""Analyst decisions from the row page: mark a match false_positive or confirmed, or withdraw a decision.

The decision is recorded by the decisions API's own code (same checks, same audit event), then the row page
is shown again, screened with the decision applied."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from service.api import decisions as decisions_api
from service.api.errors import ApiError
from service.store.db import session_scope
from service.ui.login import safe_next
from service.ui.queries import own_batch
from service.ui.render import not_found, page
from service.ui.review import row_context, with_now
from service.ui.session import PREFIX, DecideUser, check_csrf

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.post("/batches/{batch_id}/rows/{row}/decisions")
def decide(request: Request, batch_id: str, row: int, user: DecideUser,
           source: Annotated[str, Form(max_length=64)], entry_id: Annotated[str, Form(max_length=200)],
           decision: Annotated[Literal["false_positive", "confirmed"], Form()],
           reason: Annotated[str, Form(max_length=4000)] = "", analyst: Annotated[str, Form(max_length=200)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, user, csrf)
    lists = request.app.state.registry.current()
    with session_scope(request.app.state.engine) as session:
        batch = own_batch(session, batch_id, user.principal.org_id)
        ctx = row_context(session, user, batch, row) if batch else None
        if ctx is None:
            return not_found(request, user, f"Row {row} is not a non-clear row of batch {batch_id}.")
        party = ctx["party"]
        error = None if reason.strip() and analyst.strip() else "Give a reason and the analyst's name."
        if error is None:
            try:
                name = party.name if party else ctx["f"].name
                body = decisions_api.DecisionCreate(
                    party=decisions_api.DecisionParty(name=name, country=ctx["country"]),
                    source=source, entry_id=entry_id, decision=decision, reason=reason.strip(),
                    analyst=analyst.strip())
                made = decisions_api.create(body, user.principal, session, lists)
            except ValidationError as exc:
                error = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            except ApiError as exc:
                error = exc.detail
        if error is not None:
            session.rollback()
            form = {"source": source, "entry_id": entry_id, "decision": decision, "reason": reason,
                    "analyst": analyst}
            return page(request, "row.html", {**with_now(request, session, user, ctx), "error": error, "form": form},
                        user=user, status=422)
    return RedirectResponse(f"{PREFIX}/batches/{batch_id}/rows/{row}?decided={made.decision}"
                            f"#match-{source}-{entry_id}", status_code=303)


@router.post("/decisions/{decision_id}/revoke")
def revoke(request: Request, decision_id: str, user: DecideUser, back: Annotated[str, Form(max_length=2000)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, user, csrf)
    lists = request.app.state.registry.current()
    try:
        with session_scope(request.app.state.engine) as session:
            decisions_api.revoke(decision_id, user.principal, session, lists)
    except ApiError as exc:
        return page(request, "error.html", {"title": exc.title, "message": exc.detail}, user=user, status=exc.status)
    target = safe_next(back)
    return RedirectResponse(f"{target}{'&' if '?' in target else '?'}decided=withdrawn#evidence", status_code=303)
