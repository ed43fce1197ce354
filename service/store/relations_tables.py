"""Tables of the relations subsystem: versions per relation source, the active pointer, orgs and relations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.store.tables import _ts


class RelationVersion(SQLModel, table=True):
    """One load of one relation source (gleif, opensanctions). All versions are kept."""

    __tablename__ = "relation_version"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True, max_length=64)
    content_hash: str = Field(max_length=64)
    relation_count: int
    org_count: int
    loaded_at: datetime = _ts()
    origin: str
    snapshot_date: str | None = Field(default=None, max_length=32)
    coverage_note: str | None = None


class RelationSource(SQLModel, table=True):
    """The active-version pointer per relation source; flipping it is the atomic switch."""

    __tablename__ = "relation_source"
    source: str = Field(primary_key=True, max_length=64)
    active_version_id: int = Field(foreign_key="relation_version.id")
    activated_at: datetime = _ts()


class RelationOrgRow(SQLModel, table=True):
    __tablename__ = "relation_org"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_relation_org_version_key"),
                      Index("ix_relation_org_version_id", "version_id"))
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="relation_version.id")
    key: str = Field(max_length=300)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    country: str | None = Field(default=None, max_length=8)
    lei: str | None = Field(default=None, max_length=20)
    entity_type: str = Field(default="company", max_length=20)


class RelationRow(SQLModel, table=True):
    __tablename__ = "relation"
    __table_args__ = (Index("ix_relation_version_id", "version_id"),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="relation_version.id")
    subject: str = Field(max_length=300)
    object: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    source: str = Field(max_length=64)
    citation: str
    share: float | None = None
    start_date: date | None = None
    end_date: date | None = None
