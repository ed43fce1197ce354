"""Queries on organisations, API keys, console sessions and audit events. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from service.store.tables import GLOBAL_ORG, ApiKeyRow, AuditEventRow, ConsoleSessionRow, OrganizationRow, utcnow


def ensure_org(session: Session, org_id: str) -> OrganizationRow:
    org = session.get(OrganizationRow, org_id)
    if org is None:
        org = OrganizationRow(id=org_id, name=org_id)
        session.add(org)
        session.flush()
    return org


def key_by_prefix(session: Session, prefix: str) -> ApiKeyRow | None:
    return session.exec(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix)).first()


def keys_of(session: Session, org_id: str) -> list[ApiKeyRow]:
    return list(session.exec(select(ApiKeyRow).where(ApiKeyRow.org_id == org_id)
                             .order_by(col(ApiKeyRow.created_at))))


def count_keys(session: Session) -> int:
    return len(list(session.exec(select(ApiKeyRow.id))))


def add_event(session: Session, *, org_id: str, actor: str, type: str, subject: str | None = None,
              request_hash: str | None = None, list_versions: dict[str, str] | None = None,
              details: dict[str, Any] | None = None) -> None:
    session.add(AuditEventRow(org_id=org_id, actor=actor, type=type, subject=subject, request_hash=request_hash,
                              list_versions=list_versions or {}, details=details or {}))


def events(session: Session, *, org_id: str, since: datetime | None, type: str | None, limit: int, offset: int
           ) -> list[AuditEventRow]:
    stmt = select(AuditEventRow).where(col(AuditEventRow.org_id).in_((org_id, GLOBAL_ORG)))
    if since is not None:
        stmt = stmt.where(col(AuditEventRow.at) >= since)
    if type is not None:
        stmt = stmt.where(AuditEventRow.type == type)
    return list(session.exec(stmt.order_by(col(AuditEventRow.id)).limit(limit).offset(offset)))


def count_events(session: Session, *, org_id: str, since: datetime | None, type: str | None) -> int:
    """How many events `events` pages through."""
    stmt = select(func.count()).select_from(AuditEventRow).where(col(AuditEventRow.org_id).in_((org_id, GLOBAL_ORG)))
    if since is not None:
        stmt = stmt.where(col(AuditEventRow.at) >= since)
    if type is not None:
        stmt = stmt.where(AuditEventRow.type == type)
    return int(session.exec(stmt).one())


# console sessions
def add_console_session(session: Session, row: ConsoleSessionRow) -> None:
    """Store a new session and drop the expired ones (the table stays as small as the live sessions)."""
    session.execute(delete(ConsoleSessionRow).where(col(ConsoleSessionRow.expires_at) < utcnow()))
    session.add(row)


def console_session(session: Session, session_id: str) -> tuple[ConsoleSessionRow, ApiKeyRow] | None:
    stmt = (select(ConsoleSessionRow, ApiKeyRow).join(ApiKeyRow, col(ApiKeyRow.id) == col(ConsoleSessionRow.key_id))
            .where(ConsoleSessionRow.id == session_id))
    found = session.exec(stmt).first()
    return (found[0], found[1]) if found else None


def end_console_sessions(session: Session, *, session_id: str | None = None, key_id: str | None = None) -> None:
    """Revoke one session (logout) or every session of a key (key revoked)."""
    stmt = update(ConsoleSessionRow).where(col(ConsoleSessionRow.revoked_at).is_(None))
    if session_id is not None:
        stmt = stmt.where(col(ConsoleSessionRow.id) == session_id)
    if key_id is not None:
        stmt = stmt.where(col(ConsoleSessionRow.key_id) == key_id)
    session.execute(stmt.values(revoked_at=utcnow()))
