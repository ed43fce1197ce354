"""Webhooks: signed HTTP notifications of the organisation's events, with a record of every delivery."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from service.api.auth import AUTH_RESPONSES, AdminKey, ReadKey
from service.api.deps import Offset, SessionDep, SettingsDep
from service.api.errors import ConflictError, FieldProblem, NotFoundError, UnprocessableError
from service.api.suppliers import UtcDatetime
from service.monitoring.egress import EgressRefusedError
from service.monitoring.webhook_secrets import seal
from service.observability.logging import redact
from service.store import auth_repo, monitor_repo
from service.store.monitor_tables import WebhookDeliveryRow, WebhookRow
from service.store.tables import utcnow

router = APIRouter(prefix="/v1/webhooks", tags=["monitoring"], responses=AUTH_RESPONSES)
Event = Literal["alert.created"]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: AnyHttpUrl = Field(description="http(s) URL that receives a POST per event.",
                            examples=["https://erp.example.com/hooks/flrisk"])
    events: list[Event] = Field(min_length=1, max_length=10, examples=[["alert.created"]])
    secret: str = Field(min_length=16, max_length=200, description="Shared secret for the `X-Flrisk-Signature` "
                        "HMAC (see docs/webhooks.md); never returned.", examples=["whsec_9c1d0c3f5e8a4b7d"])


class WebhookPublic(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: UtcDatetime


class WebhooksPage(BaseModel):
    data: list[WebhookPublic]
    count: int


class DeliveryPublic(BaseModel):
    id: str
    event: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None = Field(description="HTTP status of the last attempt; null if none was received.")
    last_error: str | None = Field(description="Why the last attempt failed, in general terms (the details of "
                                   "network errors are in the server log).",
                                   examples=["HTTP 500", "no HTTP response from the receiver"])
    created_at: UtcDatetime
    last_attempt_at: UtcDatetime | None
    next_attempt_at: UtcDatetime | None = Field(description="When a pending delivery is tried again.")
    finished_at: UtcDatetime | None


class DeliveriesPage(BaseModel):
    data: list[DeliveryPublic]
    count: int


def _public(row: WebhookRow) -> WebhookPublic:
    return WebhookPublic(id=row.id, url=row.url, events=row.events, created_at=row.created_at)


def _delivery(row: WebhookDeliveryRow) -> DeliveryPublic:
    data = row.model_dump()
    data["next_attempt_at"] = row.next_attempt_at if row.status == "pending" else None
    return DeliveryPublic.model_validate(data)


@router.post("", status_code=201, summary="Register a webhook", response_model=WebhookPublic,
             responses={**UnprocessableError.response_doc(), **ConflictError.response_doc()})
def create_webhook(request: Request, body: WebhookCreate, principal: AdminKey, session: SessionDep,
                   settings: SettingsDep) -> WebhookPublic:
    """The URL's host must resolve to public addresses only (checked now and before every delivery; the
    operator may allow on-premises networks with FLRISK_WEBHOOK_ALLOWED_NETWORKS): 422 otherwise. An
    organisation has at most FLRISK_MAX_WEBHOOKS_PER_ORG webhooks (default 10): 409 beyond. The secret is
    stored encrypted and never returned."""
    if len(monitor_repo.webhooks(session, principal.org_id)) >= settings.max_webhooks_per_org:
        raise ConflictError(f"this organisation already has {settings.max_webhooks_per_org} webhooks, the limit; "
                            "delete one first")
    try:
        request.app.state.egress.check(str(body.url))
    except EgressRefusedError as exc:
        raise UnprocessableError(f"/url: {exc}", errors=[FieldProblem(source="body", pointer="/url",
                                                                      detail=str(exc))]) from None
    row = WebhookRow(id=str(uuid.uuid4()), org_id=principal.org_id, url=str(body.url),
                     events=sorted(set(body.events)))
    seal(row, request.app.state.secret_box, body.secret)
    session.add(row)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="webhook.created",
                        subject=row.id, details={"url": redact(row.url), "events": row.events})
    return _public(row)


@router.get("", summary="The organisation's webhooks", response_model=WebhooksPage)
def list_webhooks(principal: AdminKey, session: SessionDep) -> WebhooksPage:
    rows = monitor_repo.webhooks(session, principal.org_id)
    return WebhooksPage(data=[_public(r) for r in rows], count=len(rows))


@router.delete("/{webhook_id}", summary="Delete a webhook", response_model=WebhookPublic,
               responses=NotFoundError.response_doc())
def delete_webhook(webhook_id: str, principal: AdminKey, session: SessionDep) -> WebhookPublic:
    """Pending deliveries are not sent; the delivery record is kept."""
    row = monitor_repo.webhook(session, principal.org_id, webhook_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"no webhook {webhook_id!r}")
    row.deleted_at = utcnow()
    session.add(row)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="webhook.deleted",
                        subject=row.id, details={"url": redact(row.url)})
    return _public(row)


@router.get("/{webhook_id}/deliveries", summary="A webhook's deliveries, newest first", response_model=DeliveriesPage,
            responses=NotFoundError.response_doc())
def list_deliveries(webhook_id: str, principal: ReadKey, session: SessionDep,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0
                    ) -> DeliveriesPage:
    if monitor_repo.webhook(session, principal.org_id, webhook_id) is None:
        raise NotFoundError(f"no webhook {webhook_id!r}")
    total, rows = monitor_repo.deliveries(session, webhook_id, limit=limit, offset=offset)
    return DeliveriesPage(data=[_delivery(r) for r in rows], count=total)
