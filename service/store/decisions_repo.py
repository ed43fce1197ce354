"""Queries on analyst decisions. Callers own the transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from service.screening.decisions import Decision, Decisions
from service.store.tables import DecisionRow


def add(session: Session, row: DecisionRow) -> None:
    session.add(row)
    session.flush()


def get(session: Session, decision_id: str) -> DecisionRow | None:
    return session.get(DecisionRow, decision_id)


def of_org(session: Session, org_id: str, *, include_revoked: bool = True) -> list[DecisionRow]:
    stmt = select(DecisionRow).where(DecisionRow.org_id == org_id)
    if not include_revoked:
        stmt = stmt.where(col(DecisionRow.revoked_at).is_(None))
    return list(session.exec(stmt.order_by(col(DecisionRow.created_at))))


def active_map(session: Session, org_id: str) -> Decisions:
    """Unrevoked decisions, newest winning, in the shape the verdict engine reads."""
    return {(r.party_key, r.source, r.entry_id): Decision(
        id=r.id, decision=r.decision, reason=r.reason, analyst=r.analyst,  # type: ignore[arg-type]
        created_at=r.created_at.isoformat(), entry_hash=r.entry_hash)
        for r in of_org(session, org_id, include_revoked=False)}
