"""Analyst decisions: clear a false positive once, or confirm a match; revoked or invalidated when the
list entry's content changes in a new list version."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from service.api.auth import AUTH_RESPONSES, DecideKey, ReadKey
from service.api.deps import ActiveListsDep, SessionDep
from service.api.errors import NotFoundError, UnprocessableError
from service.api.text import Country, Name
from service.countries import lookup
from service.lists.active import ActiveLists
from service.screening.decisions import entry_hash, party_key
from service.services.batch_decisions import redecide
from service.store import auth_repo, decisions_repo
from service.store.tables import DecisionRow, utcnow

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=AUTH_RESPONSES)


class DecisionParty(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Hoshine Silicon (Ningbo) Trading Co Ltd"])
    country: Country = None


class DecisionPartyPublic(BaseModel):
    name: str
    country: str | None = Field(description="ISO alpha-2 code; a decision recorded before countries were checked "
                                            "may show a value that names no country, as it was stored.",
                                examples=["CN"])


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party: DecisionParty
    source: str = Field(min_length=1, max_length=64, examples=["uflpa_entity_list"])
    entry_id: str = Field(min_length=1, max_length=200, examples=["uflpa-003"])
    decision: Literal["false_positive", "confirmed"]
    reason: str = Field(min_length=1, max_length=4000,
                        examples=["Different company: Ningbo trading firm, no XUAR link"])
    analyst: str = Field(min_length=1, max_length=200, examples=["j.doe"])


class DecisionPublic(BaseModel):
    id: str
    party: DecisionPartyPublic
    source: str
    entry_id: str
    decision: str
    reason: str
    analyst: str
    created_at: datetime
    revoked_at: datetime | None
    status: Literal["active", "invalidated", "revoked"] = Field(
        description="`invalidated` when the list entry changed (or left the list) since the decision.")


class DecisionsPage(BaseModel):
    data: list[DecisionPublic]
    count: int


@router.post("", status_code=201, summary="Record a decision on a (party, list entry) pair",
             response_model=DecisionPublic, responses=UnprocessableError.response_doc())
def create(body: DecisionCreate, principal: DecideKey, session: SessionDep, lists: ActiveListsDep) -> DecisionPublic:
    """Applies to later screenings of the party and, at once, to the organisation's batch rows about it: their
    verdict after decisions and their batches' counts change (the verdict as screened is kept next to it)."""
    entry = next((e for e in lists.entries if e.source == body.source and e.entry_id == body.entry_id), None)
    if entry is None:
        raise UnprocessableError(f"no entry {body.entry_id!r} in the active version of {body.source!r}")
    row = DecisionRow(id=str(uuid.uuid4()), org_id=principal.org_id, party_name=body.party.name,
                      party_country=body.party.country, party_key=party_key(body.party.name, body.party.country),
                      source=body.source, entry_id=body.entry_id, entry_hash=entry_hash(entry), decision=body.decision,
                      reason=body.reason, analyst=body.analyst)
    decisions_repo.add(session, row)
    rows = redecide(session, principal.org_id, row.party_key, lists)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="decision.created",
                        subject=row.id, list_versions=lists.version_labels(),
                        details={"party": body.party.name, "source": body.source, "entry_id": body.entry_id,
                                 "decision": body.decision, "analyst": body.analyst, "batch_rows_changed": rows})
    return _public(row, lists)


@router.get("", summary="The organisation's decisions with their current status", response_model=DecisionsPage)
def list_decisions(principal: ReadKey, session: SessionDep, lists: ActiveListsDep) -> DecisionsPage:
    rows = decisions_repo.of_org(session, principal.org_id)
    return DecisionsPage(data=[_public(r, lists) for r in rows], count=len(rows))


@router.get("/{decision_id}", summary="One decision", response_model=DecisionPublic,
            responses=NotFoundError.response_doc())
def get(decision_id: str, principal: ReadKey, session: SessionDep, lists: ActiveListsDep) -> DecisionPublic:
    return _public(_own(session, decision_id, principal.org_id), lists)


@router.delete("/{decision_id}", summary="Revoke a decision", response_model=DecisionPublic,
               responses=NotFoundError.response_doc())
def revoke(decision_id: str, principal: DecideKey, session: SessionDep, lists: ActiveListsDep) -> DecisionPublic:
    row = _own(session, decision_id, principal.org_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        rows = redecide(session, principal.org_id, decisions_repo.row_key(row), lists)
        auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="decision.revoked",
                            subject=row.id, details={"batch_rows_changed": rows})
    return _public(row, lists)


def _own(session: SessionDep, decision_id: str, org_id: str) -> DecisionRow:
    row = decisions_repo.get(session, decision_id)
    if row is None or row.org_id != org_id:
        raise NotFoundError(f"no decision {decision_id!r}")
    return row


def _public(row: DecisionRow, lists: ActiveLists) -> DecisionPublic:
    entry = next((e for e in lists.entries if e.source == row.source and e.entry_id == row.entry_id), None)
    status: Literal["active", "invalidated", "revoked"] = "revoked" if row.revoked_at else (
        "active" if entry is not None and entry_hash(entry) == row.entry_hash else "invalidated")
    country = lookup(row.party_country) or row.party_country
    return DecisionPublic(id=row.id, party=DecisionPartyPublic(name=row.party_name, country=country),
                          source=row.source, entry_id=row.entry_id, decision=row.decision, reason=row.reason,
                          analyst=row.analyst, created_at=row.created_at, revoked_at=row.revoked_at, status=status)
