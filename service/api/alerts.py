"""Alerts raised by re-screening monitored suppliers after a list change; acknowledged with a note."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from service.api.auth import AUTH_RESPONSES, DecideKey, ReadKey
from service.api.deps import Offset, SessionDep
from service.api.owned import OwnAlert
from service.contracts.monitoring import Acknowledge, AlertPublic, AlertsPage
from service.errors import ConflictError, NotFoundError
from service.monitoring.rescreen import alert_payload
from service.store import auth_repo, monitor_repo
from service.store.monitor_tables import AlertRow
from service.timestamps import utcnow

router = APIRouter(prefix="/v1/alerts", tags=["monitoring"], responses=AUTH_RESPONSES)


def _public(row: AlertRow) -> AlertPublic:
    return AlertPublic.model_validate(alert_payload(row))


@router.get("", summary="The organisation's alerts, newest first", response_model=AlertsPage)
def list_alerts(principal: ReadKey, session: SessionDep,
                status: Annotated[Literal["open", "acknowledged"] | None, Query()] = None,
                supplier_id: Annotated[str | None, Query(max_length=36)] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0
                ) -> AlertsPage:
    total, rows = monitor_repo.alerts(session, principal.org_id, status=status, supplier_id=supplier_id,
                                      limit=limit, offset=offset)
    return AlertsPage(data=[_public(r) for r in rows], count=total)


@router.get("/{alert_id}", summary="One alert", response_model=AlertPublic, responses=NotFoundError.response_doc())
def get_alert(principal: ReadKey, row: OwnAlert) -> AlertPublic:
    return _public(row)


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert with a note", response_model=AlertPublic,
             responses={**NotFoundError.response_doc(), **ConflictError.response_doc()})
def acknowledge(alert_id: str, body: Acknowledge, principal: DecideKey, session: SessionDep) -> AlertPublic:
    # Looked up here, not by `OwnAlert`: a bad body is a 422 before the alert is looked for, as for any route.
    row = monitor_repo.alert(session, principal.org_id, alert_id)
    if row is None:
        raise NotFoundError(f"no alert {alert_id!r}")
    if row.acknowledged_at is not None:
        raise ConflictError(f"alert {alert_id!r} was already acknowledged by {row.acknowledged_by}")
    row.acknowledged_at, row.acknowledged_by, row.note = utcnow(), principal.actor, body.note
    session.add(row)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="alert.acknowledged",
                        subject=row.id, details={"note": body.note, "supplier_id": row.supplier_id})
    return _public(row)
