"""Queries on suppliers, alerts, webhooks, deliveries and re-screen rounds. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from service.store.monitor_tables import AlertRow, MonitorRoundRow, SupplierRow, WebhookDeliveryRow, WebhookRow
from service.store.tables import BatchChunkRow


def _locking(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# suppliers
def existing_references(session: Session, org_id: str, references: Sequence[str]) -> list[str]:
    stmt = select(SupplierRow.reference).where(SupplierRow.org_id == org_id,
                                               col(SupplierRow.reference).in_(list(references)))
    return list(session.exec(stmt))


def suppliers(session: Session, org_id: str, *, verdict: str | None, limit: int, offset: int
              ) -> tuple[int, list[SupplierRow]]:
    stmt = select(SupplierRow).where(SupplierRow.org_id == org_id)
    if verdict is not None:
        stmt = stmt.where(SupplierRow.last_verdict == verdict)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(SupplierRow.created_at), col(SupplierRow.id)).limit(limit).offset(offset))
    return int(total), list(rows)


def supplier(session: Session, org_id: str, supplier_id: str) -> SupplierRow | None:
    return session.exec(select(SupplierRow).where(SupplierRow.id == supplier_id, SupplierRow.org_id == org_id)).first()


def all_supplier_ids(session: Session) -> list[str]:
    return list(session.exec(select(SupplierRow.id).order_by(col(SupplierRow.id))))


def lock_suppliers(session: Session, ids: Sequence[str]) -> list[SupplierRow]:
    """The suppliers still present, locked for this transaction (rows another worker holds are skipped)."""
    stmt = select(SupplierRow).where(col(SupplierRow.id).in_(list(ids))).order_by(col(SupplierRow.id))
    if _locking(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.exec(stmt))


# alerts
def alerts(session: Session, org_id: str, *, status: str | None, supplier_id: str | None, limit: int, offset: int
           ) -> tuple[int, list[AlertRow]]:
    stmt = select(AlertRow).where(AlertRow.org_id == org_id)
    if status == "open":
        stmt = stmt.where(col(AlertRow.acknowledged_at).is_(None))
    elif status == "acknowledged":
        stmt = stmt.where(col(AlertRow.acknowledged_at).is_not(None))
    if supplier_id is not None:
        stmt = stmt.where(AlertRow.supplier_id == supplier_id)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(AlertRow.created_at).desc(), col(AlertRow.id)).limit(limit).offset(offset))
    return int(total), list(rows)


def alert(session: Session, org_id: str, alert_id: str) -> AlertRow | None:
    return session.exec(select(AlertRow).where(AlertRow.id == alert_id, AlertRow.org_id == org_id)).first()


# webhooks and deliveries
def webhooks(session: Session, org_id: str) -> list[WebhookRow]:
    stmt = select(WebhookRow).where(WebhookRow.org_id == org_id, col(WebhookRow.deleted_at).is_(None))
    return list(session.exec(stmt.order_by(col(WebhookRow.created_at))))


def webhook(session: Session, org_id: str, webhook_id: str) -> WebhookRow | None:
    """The organisation's webhook, deleted ones included (their deliveries stay readable)."""
    return session.exec(select(WebhookRow).where(WebhookRow.id == webhook_id, WebhookRow.org_id == org_id)).first()


def subscribers(session: Session, org_id: str, event: str) -> list[WebhookRow]:
    return [w for w in webhooks(session, org_id) if event in w.events]


def deliveries(session: Session, webhook_id: str, *, limit: int, offset: int) -> tuple[int, list[WebhookDeliveryRow]]:
    stmt = select(WebhookDeliveryRow).where(WebhookDeliveryRow.webhook_id == webhook_id)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(WebhookDeliveryRow.created_at).desc(), col(WebhookDeliveryRow.id))
                        .limit(limit).offset(offset))
    return int(total), list(rows)


def due_deliveries(session: Session, now: datetime, limit: int) -> list[WebhookDeliveryRow]:
    """Pending deliveries whose time has come, locked (PostgreSQL: rows another process holds are skipped)."""
    stmt = (select(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.status == "pending", col(WebhookDeliveryRow.next_attempt_at) <= now)
            .order_by(col(WebhookDeliveryRow.next_attempt_at)).limit(limit))
    if _locking(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.exec(stmt))


# rounds
def claim_round(session: Session, row: MonitorRoundRow) -> bool:
    """Insert a new round; False when another process already has it (the primary key decides)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def previous_round(session: Session, rnd: MonitorRoundRow) -> MonitorRoundRow | None:
    """The round started before `rnd` (the list versions the suppliers were last re-screened against)."""
    stmt = select(MonitorRoundRow).where(MonitorRoundRow.id != rnd.id,
                                         col(MonitorRoundRow.created_at) <= rnd.created_at)
    return session.exec(stmt.order_by(col(MonitorRoundRow.created_at).desc()).limit(1)).first()


def lock_round(session: Session, round_id: str) -> MonitorRoundRow | None:
    stmt = select(MonitorRoundRow).where(MonitorRoundRow.id == round_id)
    if _locking(session):
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


# batches (registering a finished batch's rows as suppliers)
def batch_chunks(session: Session, batch_id: str) -> list[BatchChunkRow]:
    stmt = select(BatchChunkRow).where(BatchChunkRow.batch_id == batch_id).order_by(col(BatchChunkRow.seq))
    return list(session.exec(stmt))
