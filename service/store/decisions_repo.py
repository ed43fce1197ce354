"""Queries on analyst decisions. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from sqlalchemy import Row
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from service.countries import lookup
from service.screening.decisions import Decision, Decisions, party_key
from service.store.tables import DecisionRow


def add(session: Session, row: DecisionRow) -> None:
    session.add(row)
    session.flush()


def get(session: Session, org_id: str, decision_id: str) -> DecisionRow | None:
    """The organisation's decision; another organisation's is None, as one that does not exist."""
    return session.exec(select(DecisionRow).where(DecisionRow.id == decision_id, DecisionRow.org_id == org_id)).first()


def of_org(session: Session, org_id: str, *, include_revoked: bool = True) -> list[DecisionRow]:
    stmt = select(DecisionRow).where(DecisionRow.org_id == org_id)
    if not include_revoked:
        stmt = stmt.where(col(DecisionRow.revoked_at).is_(None))
    return list(session.exec(stmt.order_by(col(DecisionRow.created_at))))


def of_parties(session: Session, org_id: str, names: Collection[str]) -> list[DecisionRow]:
    """Unrevoked decisions on parties with these names (any country; callers match the country), newest last."""
    folded = {party_key(name, None).split("|")[0] for name in names}
    stmt = select(DecisionRow).where(DecisionRow.org_id == org_id, col(DecisionRow.revoked_at).is_(None))
    rows = session.exec(stmt.order_by(col(DecisionRow.created_at)))
    return [r for r in rows if r.party_key.rsplit("|", 1)[0] in folded]


def row_key(row: DecisionRow | Row[*tuple[Any, ...]]) -> str:
    """The party key as the engine looks it up now: the stored country read as alpha-2 (a decision recorded as
    "China" before countries were normalised applies to CN; one naming no country, to a party without one)."""
    return party_key(row.party_name, lookup(row.party_country))


def active_map(session: Session, org_id: str) -> Decisions:
    """Unrevoked decisions, newest winning, in the shape the verdict engine reads.

    Read on every screening: a plain column query (no ORM objects), usually answering no rows."""
    t = DecisionRow.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        sa_select(t.c.party_name, t.c.party_country, t.c.source, t.c.entry_id, t.c.id, t.c.decision, t.c.reason,
                  t.c.analyst, t.c.created_at, t.c.entry_hash)
        .where(t.c.org_id == org_id, t.c.revoked_at.is_(None)).order_by(t.c.created_at))
    return {(row_key(r), r.source, r.entry_id): Decision(
        id=r.id, decision=r.decision, reason=r.reason, analyst=r.analyst,
        created_at=r.created_at.isoformat(), entry_hash=r.entry_hash) for r in rows}


class LazyDecisions(Mapping[tuple[str, str, str], Decision]):
    """`active_map` read on first lookup, not before.

    The verdict engine looks a decision up only for a list match, and most screened records match nothing:
    for those the query is never sent. Truthy even before loading, so `decisions or {}` keeps it lazy.
    The session must still be open at the first lookup (it is: screening runs inside the transaction)."""

    def __init__(self, session: Session, org_id: str) -> None:
        self._session, self._org_id = session, org_id
        self._loaded: Decisions | None = None

    def _map(self) -> Decisions:
        if self._loaded is None:
            self._loaded = active_map(self._session, self._org_id)
        return self._loaded

    def __getitem__(self, key: tuple[str, str, str]) -> Decision:
        return self._map()[key]

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())

    def __bool__(self) -> bool:
        return True

    @property
    def loaded(self) -> bool:
        return self._loaded is not None
