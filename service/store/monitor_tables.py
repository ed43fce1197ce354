"""Monitoring tables: the organisation's supplier register, alerts, webhooks, their deliveries, re-screen rounds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.store.tables import UtcDateTime, _ts

__all__ = ["AlertRow", "MonitorRoundRow", "SupplierRow", "WebhookDeliveryRow", "WebhookRow"]


class SupplierRow(SQLModel, table=True):
    """A monitored supplier with the outcome of its latest screening; re-screened when a list changes."""

    __tablename__ = "supplier"
    __table_args__ = (UniqueConstraint("org_id", "reference", name="uq_supplier_org_reference"),)
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(max_length=64, index=True)
    reference: str = Field(max_length=200)
    name: str
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # the ScreeningRequest re-screened
    last_screening_id: str = Field(max_length=36)
    last_verdict: str = Field(max_length=16)
    last_risk_score: int
    # [source, entry_id] pairs of the list matches that drove the last verdict
    last_matches: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    last_round_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    screened_at: datetime = _ts()


class AlertRow(SQLModel, table=True):
    """A supplier's verdict worsened or it matched a new list entry on a re-screen."""

    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_org_created", "org_id", "created_at"),)
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(max_length=64)
    supplier_id: str = Field(max_length=36, index=True)
    supplier_reference: str = Field(max_length=200)
    supplier_name: str
    type: str = Field(max_length=20)  # verdict_worse, new_match
    screening_id: str = Field(max_length=36)
    previous_screening_id: str | None = Field(default=None, max_length=36)
    details: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts()
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    acknowledged_by: str | None = Field(default=None, max_length=100)
    note: str | None = None


class WebhookRow(SQLModel, table=True):
    """An organisation's endpoint for event notifications; the secret signs every delivery."""

    __tablename__ = "webhook"
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(max_length=64, index=True)
    url: str = Field(max_length=2000)
    events: list[str] = Field(sa_column=Column(JSON, nullable=False))
    secret: str = Field(default="", max_length=200)  # plain text of earlier versions; "" once encrypted
    secret_token: str | None = Field(default=None, sa_column=Column(Text))  # Fernet token of the secret
    created_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class WebhookDeliveryRow(SQLModel, table=True):
    """One event for one webhook: the exact signed body, and how sending it went."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)
    id: str = Field(primary_key=True, max_length=36)
    webhook_id: str = Field(max_length=36, index=True)
    org_id: str = Field(max_length=64)
    event: str = Field(max_length=40)
    body: str  # the JSON sent, byte for byte what the signature covers
    status: str = Field(max_length=16)  # pending, succeeded, failed
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime = _ts()
    next_attempt_at: datetime = _ts()
    last_attempt_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class MonitorRoundRow(SQLModel, table=True):
    """One re-screen of every monitored supplier for one set of active list versions (id: hash of the pointers)."""

    __tablename__ = "monitor_round"
    id: str = Field(primary_key=True, max_length=64)
    pointers: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    chunks: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))  # supplier ids per chunk
    chunks_done: int = 0
    created_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
