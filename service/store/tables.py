"""SQLModel tables. Schema changes go through alembic migrations in `migrations/`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.store.columns import UtcDateTime, created_now


class ListVersion(SQLModel, table=True):
    """One load of one source list. All versions are kept; `ListSource` says which is active."""

    __tablename__ = "list_version"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True, max_length=64)
    content_hash: str = Field(max_length=64)
    entry_count: int
    loaded_at: datetime = created_now()
    origin: str
    snapshot_date: str | None = Field(default=None, max_length=32)
    coverage_note: str | None = None
    # How many entities the official publication had (and as of when), when known to differ from what was
    # loaded: a result screened against this version says the list is partial.
    official_count: int | None = None
    official_count_date: str | None = Field(default=None, max_length=32)


class ListSource(SQLModel, table=True):
    """The active-version pointer per source; flipping it is the atomic switch. Also the source's sync status."""

    __tablename__ = "list_source"
    source: str = Field(primary_key=True, max_length=64)
    active_version_id: int = Field(foreign_key="list_version.id")
    activated_at: datetime = created_now()
    # Last successful check against the upstream, changed or not; None: never checked (count from the snapshot).
    last_checked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    last_changed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    last_error_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    last_error: str | None = None
    max_age_days: int | None = None  # None: the service default (FLRISK_STALE_AFTER_DAYS)


class ListFetchState(SQLModel, table=True):
    """Conditional-request validators of one upstream URL, from its last successful download."""

    __tablename__ = "list_fetch_state"
    url_hash: str = Field(primary_key=True, max_length=64)  # sha256 of the full URL: no credential in clear
    source: str = Field(index=True, max_length=64)
    url: str  # redacted (no user, password or query string), for people
    etag: str | None = None
    last_modified: str | None = None
    checked_at: datetime = created_now()


class ListChangeRow(SQLModel, table=True):
    """What a version changed against the one it replaced: entries added, removed and changed."""

    __tablename__ = "list_change"
    __table_args__ = (Index("ix_list_change_source_at", "source", "at"),)
    version_id: int = Field(primary_key=True, foreign_key="list_version.id")
    source: str = Field(max_length=64)
    previous_version_id: int | None = None
    at: datetime = created_now()
    added: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    removed: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    changed: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


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
    org_id: str = Field(default="default", max_length=64, index=True)
    reference: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    verdict: str = Field(max_length=16, index=True)
    risk_score: int
    created_at: datetime = created_now()
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    list_versions: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    previous_screening_id: str | None = Field(default=None, max_length=36)  # a monitored supplier's re-screen


class IdempotencyRow(SQLModel, table=True):
    """An Idempotency-Key seen on a create call, with the hash of its body and what it created."""

    __tablename__ = "idempotency_key"
    key: str = Field(primary_key=True, max_length=255)
    endpoint: str = Field(primary_key=True, max_length=64)
    request_hash: str = Field(max_length=64)
    resource_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_now()


class BatchRow(SQLModel, table=True):
    """An uploaded supplier list being screened as a job; progress and counts are kept here."""

    __tablename__ = "batch"
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(default="default", max_length=64, index=True)
    status: str = Field(max_length=16, index=True)  # queued, running, done, failed
    filename: str | None = None
    format: str = Field(max_length=8)
    encoding: str | None = Field(default=None, max_length=32)
    mapping: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    mapping_source: str = Field(max_length=8)
    headers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    rows_total: int
    rows_done: int = 0
    chunks_total: int
    chunks_done: int = 0
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # after decisions
    original_counts: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))  # as screened
    list_versions: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The lists the rows were screened against and their status then: {"lists", "warnings", "caveat"}
    # (service/lists/usage.py); a list stale for any chunk stays stale here.
    lists_used: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    file_sha256: str = Field(max_length=64)
    file_size: int
    error: str | None = None
    created_at: datetime = created_now()
    started_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class BatchFileRow(SQLModel, table=True):
    """The uploaded file, byte for byte: nothing a user submitted is lost."""

    __tablename__ = "batch_file"
    batch_id: str = Field(primary_key=True, foreign_key="batch.id", max_length=36)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class BatchChunkRow(SQLModel, table=True):
    """A slice of a batch's rows, screened in one transaction together with its results."""

    __tablename__ = "batch_chunk"
    batch_id: str = Field(primary_key=True, foreign_key="batch.id", max_length=36)
    seq: int = Field(primary_key=True)
    status: str = Field(max_length=16)  # pending, done
    rows: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    results: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    attempts: int = 0
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class BatchFindingRow(SQLModel, table=True):
    """A row of a batch that was not clear as screened, with its full evidence, for review and reports.

    `verdict`/`risk_score` follow the organisation's decisions (`decisions`: the ones in force on the row's
    matches); `original_verdict`/`original_risk_score` and the evidence in `result` stay as screened."""

    __tablename__ = "batch_finding"
    __table_args__ = (Index("ix_batch_finding_party_key", "party_key"),
                      Index("ix_batch_finding_batch_row", "batch_id", "row_number"))
    batch_id: str = Field(primary_key=True, foreign_key="batch.id", max_length=36)
    row_index: int = Field(primary_key=True)  # 0-based position among the data rows
    row_number: int | None = None  # the spreadsheet row (header = 1)
    verdict: str = Field(max_length=16)
    risk_score: int
    original_verdict: str | None = Field(default=None, max_length=16)
    original_risk_score: int | None = None
    name: str
    party_key: str | None = None
    decisions: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


DEFAULT_ORG = "default"
GLOBAL_ORG = "*"  # audit events about shared resources (the lists), visible to every organisation


class OrganizationRow(SQLModel, table=True):
    __tablename__ = "organization"
    id: str = Field(primary_key=True, max_length=64)
    name: str
    created_at: datetime = created_now()


class ApiKeyRow(SQLModel, table=True):
    """An API key: only a keyed hash (HMAC-SHA256 with the server secret) is stored, found by its prefix."""

    __tablename__ = "api_key"
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(foreign_key="organization.id", max_length=64, index=True)
    name: str
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    scopes: list[str] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_now()
    expires_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class ConsoleSessionRow(SQLModel, table=True):
    """A console login: the cookie names it by a random nonce (stored here only as its SHA-256), so logging
    out or revoking the key ends it on the server, whatever copies of the cookie exist."""

    __tablename__ = "console_session"
    id: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=36, index=True)
    created_at: datetime = created_now()
    expires_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class AuditEventRow(SQLModel, table=True):
    """Append-only: who did what, when, against which list versions. Never updated or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_org_at", "org_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    org_id: str = Field(max_length=64)
    actor: str = Field(max_length=100)  # key id, or "cli:<user>"
    type: str = Field(max_length=40, index=True)
    subject: str | None = Field(default=None, max_length=200)
    at: datetime = created_now()
    request_hash: str | None = Field(default=None, max_length=64)
    list_versions: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DecisionRow(SQLModel, table=True):
    """An analyst's decision on one (party name + country, list entry) pair, valid while the entry is unchanged."""

    __tablename__ = "decision"
    __table_args__ = (Index("ix_decision_org_party", "org_id", "party_key"),)
    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(max_length=64)
    party_name: str
    party_country: str | None = Field(default=None, max_length=64)
    party_key: str
    source: str = Field(max_length=64)
    entry_id: str = Field(max_length=200)
    entry_hash: str = Field(max_length=64)  # the entry's content when decided; a change invalidates
    decision: str = Field(max_length=16)  # false_positive, confirmed
    reason: str
    analyst: str = Field(max_length=200)
    created_at: datetime = created_now()
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))

