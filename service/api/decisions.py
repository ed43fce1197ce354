"""Analyst decisions: clear a false positive once, or confirm a match; revoked or invalidated when the
list entry's content changes in a new list version."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.auth import AUTH_RESPONSES, DecideKey, ReadKey
from service.api.deps import ActiveListsDep, SessionDep
from service.api.owned import OwnDecision
from service.contracts.decisions import DecisionCreate, DecisionPublic, DecisionsPage
from service.errors import NotFoundError, UnprocessableError
from service.services import decisions
from service.store import decisions_repo

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=AUTH_RESPONSES)


@router.post("", status_code=201, summary="Record a decision on a (party, list entry) pair",
             response_model=DecisionPublic, responses=UnprocessableError.response_doc())
def create(body: DecisionCreate, principal: DecideKey, session: SessionDep, lists: ActiveListsDep) -> DecisionPublic:
    """Applies to later screenings of the party and, at once, to the organisation's batch rows about it: their
    verdict after decisions and their batches' counts change (the verdict as screened is kept next to it)."""
    return decisions.public(decisions.record(session, principal, lists, body), lists)


@router.get("", summary="The organisation's decisions with their current status", response_model=DecisionsPage)
def list_decisions(principal: ReadKey, session: SessionDep, lists: ActiveListsDep) -> DecisionsPage:
    rows = decisions_repo.of_org(session, principal.org_id)
    return DecisionsPage(data=[decisions.public(r, lists) for r in rows], count=len(rows))


@router.get("/{decision_id}", summary="One decision", response_model=DecisionPublic,
            responses=NotFoundError.response_doc())
def get(principal: ReadKey, row: OwnDecision, lists: ActiveListsDep) -> DecisionPublic:
    return decisions.public(row, lists)


@router.delete("/{decision_id}", summary="Revoke a decision", response_model=DecisionPublic,
               responses=NotFoundError.response_doc())
def revoke(decision_id: str, principal: DecideKey, session: SessionDep, lists: ActiveListsDep) -> DecisionPublic:
    return decisions.public(decisions.revoke(session, principal, lists, decision_id), lists)
