"""Alerts raised by re-screening monitored suppliers after a list change; acknowledged with a note."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from service.api.auth import AUTH_RESPONSES, DecideKey, ReadKey
from service.api.deps import Offset, SessionDep
from service.api.suppliers import UtcDatetime
from service.errors import ConflictError, NotFoundError
from service.monitoring.rescreen import alert_payload
from service.store import auth_repo, monitor_repo
from service.store.monitor_tables import AlertRow
from service.timestamps import utcnow

router = APIRouter(prefix="/v1/alerts", tags=["monitoring"], responses=AUTH_RESPONSES)


class AlertPublic(BaseModel):
    id: str
    type: Literal["verdict_worse", "new_match"] = Field(
        description="`verdict_worse`: clear < elevated < review < presumption got worse; `new_match`: a list "
                    "entry matched that did not match last time.")
    supplier_id: str
    supplier_reference: str
    supplier_name: str
    screening_id: str = Field(description="The re-screen that raised the alert.")
    previous_screening_id: str | None
    details: dict[str, Any] = Field(description="verdict_worse: old/new verdict and score; new_match: the list "
                                                "entry with its citation, the match score and the party.")
    created_at: UtcDatetime
    acknowledged_at: UtcDatetime | None
    acknowledged_by: str | None
    note: str | None


class AlertsPage(BaseModel):
    data: list[AlertPublic]
    count: int


class Acknowledge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=4000, examples=["Supplier contacted; audit report requested"])


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
def get_alert(alert_id: str, principal: ReadKey, session: SessionDep) -> AlertPublic:
    row = monitor_repo.alert(session, principal.org_id, alert_id)
    if row is None:
        raise NotFoundError(f"no alert {alert_id!r}")
    return _public(row)


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert with a note", response_model=AlertPublic,
             responses={**NotFoundError.response_doc(), **ConflictError.response_doc()})
def acknowledge(alert_id: str, body: Acknowledge, principal: DecideKey, session: SessionDep) -> AlertPublic:
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
