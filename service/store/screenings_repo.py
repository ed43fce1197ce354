"""Queries on stored screenings and idempotency keys. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, select

from service.store.tables import AuditEventRow, IdempotencyRow, ScreeningRow


def insert_with_events(session: Session, rows: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]]) -> None:
    """Insert screening rows and their audit events (column dicts; every column but the event `id`).

    Core INSERTs: no ORM objects or unit of work, which cost more than the statements on the hot path
    of `POST /v1/screenings`. On PostgreSQL one row and its event go in one statement (`WITH s AS
    (INSERT INTO screening ...) INSERT INTO audit_event ...`): one round trip instead of two, and atomic
    on its own, so a caller may run it outside an explicit transaction. Otherwise two INSERTs."""
    conn = session.connection()
    if conn.dialect.name == "postgresql" and len(rows) == 1 and len(events) == 1:
        params = {f"s_{k}": v for k, v in rows[0].items()} | {f"a_{k}": v for k, v in events[0].items()}
        conn.execute(_row_and_event_statement(tuple(rows[0]), tuple(events[0])), params)
        return
    if rows:
        conn.execute(insert(_SCREENING), list(rows))
    if events:
        conn.execute(insert(_AUDIT), list(events))


_SCREENING = ScreeningRow.__table__  # type: ignore[attr-defined]
_AUDIT = AuditEventRow.__table__  # type: ignore[attr-defined]


@cache
def _row_and_event_statement(row_columns: tuple[str, ...], event_columns: tuple[str, ...]) -> Executable:
    """Built once with bound parameters (`s_<column>`, `a_<column>`), so SQLAlchemy compiles it once:
    an INSERT with literal `.values()` would be compiled again on every call (about 1 ms)."""
    row = insert(_SCREENING).values({c: bindparam(f"s_{c}", type_=_SCREENING.c[c].type) for c in row_columns})
    event = insert(_AUDIT).values({c: bindparam(f"a_{c}", type_=_AUDIT.c[c].type) for c in event_columns})
    return event.add_cte(row.cte("s"))


def get(session: Session, org_id: str, screening_id: str) -> ScreeningRow | None:
    """The organisation's screening; another organisation's is None, as one that does not exist."""
    stmt = select(ScreeningRow).where(ScreeningRow.id == screening_id, ScreeningRow.org_id == org_id)
    return session.exec(stmt).first()


def get_many(session: Session, org_id: str, ids: Sequence[str]) -> list[ScreeningRow]:
    stmt = select(ScreeningRow).where(col(ScreeningRow.id).in_(ids), ScreeningRow.org_id == org_id)
    rows = {r.id: r for r in session.exec(stmt)}
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
