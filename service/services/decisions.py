"""Analyst decisions, recorded and revoked the same way from the API and the console: a false positive is
cleared once, a match confirmed; a decision lapses when its list entry's content changes."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlmodel import Session

from service.contracts.decisions import DecisionCreate, DecisionPartyPublic, DecisionPublic
from service.contracts.principal import Principal
from service.countries import lookup
from service.errors import NotFoundError, UnprocessableError
from service.lists.active import ActiveLists
from service.screening.decisions import entry_hash, party_key
from service.screening.model import ListEntry
from service.services.batch_decisions import redecide
from service.store import auth_repo, decisions_repo
from service.store.tables import DecisionRow
from service.timestamps import utcnow

Status = Literal["active", "invalidated", "revoked"]


def record(session: Session, principal: Principal, lists: ActiveLists, body: DecisionCreate) -> DecisionRow:
    """Store the decision on an entry of the active lists, with its audit event, in the caller's transaction.
    It applies at once to the organisation's batch rows about the party (`batch_decisions.redecide`)."""
    entry = _active_entry(lists, body.source, body.entry_id)
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
    return row


def revoke(session: Session, principal: Principal, lists: ActiveLists, decision_id: str) -> DecisionRow:
    """Revoke the organisation's decision (once: a second revocation changes nothing); its batch rows are
    worked out again without it."""
    row = decisions_repo.get(session, principal.org_id, decision_id)
    if row is None:
        raise NotFoundError(f"no decision {decision_id!r}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        rows = redecide(session, principal.org_id, decisions_repo.row_key(row), lists)
        auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="decision.revoked",
                            subject=row.id, details={"batch_rows_changed": rows})
    return row


def status(row: DecisionRow, lists: ActiveLists) -> Status:
    """`invalidated` when the entry changed (or left the list) since the decision."""
    if row.revoked_at:
        return "revoked"
    entry = _active_entry(lists, row.source, row.entry_id)
    return "active" if entry is not None and entry_hash(entry) == row.entry_hash else "invalidated"


def public(row: DecisionRow, lists: ActiveLists) -> DecisionPublic:
    country = lookup(row.party_country) or row.party_country
    return DecisionPublic(id=row.id, party=DecisionPartyPublic(name=row.party_name, country=country),
                          source=row.source, entry_id=row.entry_id, decision=row.decision, reason=row.reason,
                          analyst=row.analyst, created_at=row.created_at, revoked_at=row.revoked_at,
                          status=status(row, lists))


def _active_entry(lists: ActiveLists, source: str, entry_id: str) -> ListEntry | None:
    return next((e for e in lists.entries if e.source == source and e.entry_id == entry_id), None)
