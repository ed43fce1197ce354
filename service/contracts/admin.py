"""API keys and the audit trail (admin scope)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from service.auth.keys import SCOPES
from service.contracts.text import DateTimeText

Scope = Literal["screen", "read", "decide", "admin"]
assert set(get_args(Scope)) == set(SCOPES), "Scope must list service.auth.keys.SCOPES"


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["ERP"])
    scopes: list[Scope] = Field(min_length=1, examples=[["screen", "read"]])
    expires_at: DateTimeText | None = None


class KeyPublic(BaseModel):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    org: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    key: str = Field(description="The key itself: shown once, stored only as a keyed hash.")


class KeysPage(BaseModel):
    data: list[KeyPublic]
    count: int


class AuditEvent(BaseModel):
    id: int
    actor: str
    type: str
    subject: str | None
    at: datetime
    request_hash: str | None
    list_versions: dict[str, str]
    details: dict[str, Any]


class AuditPage(BaseModel):
    data: list[AuditEvent]
    count: int = Field(description="Events matching the filters, across all pages.")
    limit: int
    offset: int
