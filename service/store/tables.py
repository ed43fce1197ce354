"""SQLModel tables. Schema changes go through alembic migrations in `migrations/`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kw))


class ListVersion(SQLModel, table=True):
    """One load of one source list. All versions are kept; `ListSource` says which is active."""

    __tablename__ = "list_version"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True, max_length=64)
    content_hash: str = Field(max_length=64)
    entry_count: int
    loaded_at: datetime = _ts()
    origin: str
    snapshot_date: str | None = Field(default=None, max_length=32)
    coverage_note: str | None = None


class ListSource(SQLModel, table=True):
    """The active-version pointer per source; flipping it is the atomic switch."""

    __tablename__ = "list_source"
    source: str = Field(primary_key=True, max_length=64)
    active_version_id: int = Field(foreign_key="list_version.id")
    activated_at: datetime = _ts()


class ListEntryRow(SQLModel, table=True):
    __tablename__ = "list_entry"
    __table_args__ = (
        UniqueConstraint("version_id", "entry_id", name="uq_list_entry_version_entry"),
        Index("ix_list_entry_version_id", "version_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="list_version.id")
    entry_id: str = Field(max_length=200)
    name: str
    entity_type: str = Field(max_length=20)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    chinese_names: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    addresses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    city: str | None = None
    country: str | None = Field(default=None, max_length=8)
    date_listed: date | None = None
    legal_basis: str | None = None
    citation: str | None = None
    remarks: str | None = None
    program: str | None = None
    xinjiang_linked: bool = False
    match_by_name: bool = True
    extra: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Lower-cased names and aliases, for the `q` filter of the entries endpoint on any database.
    search_text: str


class ScreeningRow(SQLModel, table=True):
    """A stored screening result: immutable once written; returned unchanged later."""

    __tablename__ = "screening"
    __table_args__ = (Index("ix_screening_reference", "reference"), Index("ix_screening_created_at", "created_at"))
    id: str = Field(primary_key=True, max_length=36)
    reference: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    verdict: str = Field(max_length=16, index=True)
    risk_score: int
    created_at: datetime = _ts()
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    list_versions: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class IdempotencyRow(SQLModel, table=True):
    """An Idempotency-Key seen on a create call, with the hash of its body and what it created."""

    __tablename__ = "idempotency_key"
    key: str = Field(primary_key=True, max_length=255)
    endpoint: str = Field(primary_key=True, max_length=64)
    request_hash: str = Field(max_length=64)
    resource_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts()
