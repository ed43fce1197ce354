"""Queries on stored screenings and idempotency keys. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.store.tables import IdempotencyRow, ScreeningRow


def add_all(session: Session, rows: Sequence[ScreeningRow]) -> None:
    session.add_all(rows)
    session.flush()


def get(session: Session, screening_id: str) -> ScreeningRow | None:
    return session.get(ScreeningRow, screening_id)


def get_many(session: Session, ids: Sequence[str]) -> list[ScreeningRow]:
    rows = {r.id: r for r in session.exec(select(ScreeningRow).where(col(ScreeningRow.id).in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def search(session: Session, *, org_id: str, reference: str | None, verdict: str | None, since: datetime | None,
           limit: int, offset: int) -> tuple[int, list[ScreeningRow]]:
    stmt = select(ScreeningRow).where(ScreeningRow.org_id == org_id)
    if reference is not None:
        stmt = stmt.where(ScreeningRow.reference == reference)
    if verdict is not None:
        stmt = stmt.where(ScreeningRow.verdict == verdict)
    if since is not None:
        stmt = stmt.where(col(ScreeningRow.created_at) >= since)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(ScreeningRow.created_at).desc(), col(ScreeningRow.id))
                        .limit(limit).offset(offset))
    return total, list(rows)


def find_key(session: Session, key: str, endpoint: str) -> IdempotencyRow | None:
    return session.get(IdempotencyRow, (key, endpoint))


def claim_key(session: Session, row: IdempotencyRow) -> bool:
    """Record a key; False when another request already holds it (then read it with `find_key`)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True
