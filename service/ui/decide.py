"""Analyst decisions from the row page: mark a match false_positive or confirmed, or withdraw a decision.

The decision is recorded by the same service as POST /v1/decisions (same checks, same audit event), then the
row page is shown again, screened with the decision applied."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from service.api.deps import ActiveListsDep, SessionDep
from service.contracts.decisions import DecisionCreate, DecisionParty
from service.errors import ServiceError
from service.services import decisions
from service.store import batches_repo
from service.ui.login import safe_next
from service.ui.render import not_found, page
from service.ui.review import row_context, with_now
from service.ui.session import PREFIX, DecideUser, check_csrf

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.post("/batches/{batch_id}/rows/{row}/decisions")
def decide(request: Request, batch_id: str, row: int, user: DecideUser, session: SessionDep,
           lists: ActiveListsDep, source: Annotated[str, Form(max_length=64)],
           entry_id: Annotated[str, Form(max_length=200)],
           decision: Annotated[Literal["false_positive", "confirmed"], Form()],
           reason: Annotated[str, Form(max_length=4000)] = "", analyst: Annotated[str, Form(max_length=200)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, user, csrf)
    batch = batches_repo.get(session, user.principal.org_id, batch_id)
    ctx = row_context(session, user, batch, row) if batch else None
    if ctx is None:
        return not_found(request, user, f"Row {row} is not a non-clear row of batch {batch_id}.")
    party = ctx["party"]
    error = None if reason.strip() and analyst.strip() else "Give a reason and the analyst's name."
    if error is None:
        try:
            name = party.name if party else ctx["f"].name
            body = DecisionCreate(party=DecisionParty(name=name, country=ctx["country"]), source=source,
                                  entry_id=entry_id, decision=decision, reason=reason.strip(),
                                  analyst=analyst.strip())
            made = decisions.record(session, user.principal, lists, body)
        except ValidationError as exc:
            error = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        except ServiceError as exc:
            error = exc.detail
    if error is not None:
        session.rollback()
        form = {"source": source, "entry_id": entry_id, "decision": decision, "reason": reason, "analyst": analyst}
        return page(request, "row.html", {**with_now(request, session, user, ctx), "error": error, "form": form},
                    user=user, status=422)
    return RedirectResponse(f"{PREFIX}/batches/{batch_id}/rows/{row}?decided={made.decision}"
                            f"#match-{source}-{entry_id}", status_code=303)


@router.post("/decisions/{decision_id}/revoke")
def revoke(request: Request, decision_id: str, user: DecideUser, session: SessionDep, lists: ActiveListsDep,
           back: Annotated[str, Form(max_length=2000)] = "",
           csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(request, user, csrf)
    try:
        decisions.revoke(session, user.principal, lists, decision_id)
    except ServiceError as exc:
        return page(request, "error.html", {"title": exc.title, "message": exc.detail}, user=user, status=exc.status)
    target = safe_next(back)
    return RedirectResponse(f"{target}{'&' if '?' in target else '?'}decided=withdrawn#evidence", status_code=303)
