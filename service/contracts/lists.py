"""Response models of the list endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class VersionPublic(BaseModel):
    id: int = Field(examples=[3])
    content_hash: str = Field(description="sha256 of the version's canonical content.")
    loaded_at: datetime
    origin: str = Field(description="File or URL the version was loaded from.",
                        examples=["snapshot:fixtures/lists/uflpa_entity_list.csv"])
    entry_count: int = Field(examples=[84])
    snapshot_date: str | None = Field(default=None, description="Date (or year-month) the data reflects.",
                                      examples=["2025-01-15"])
    active: bool = Field(default=True, description="Whether this is the source's active version.")


class ListErrorPublic(BaseModel):
    at: datetime = Field(description="When the failed check ran.")
    message: str = Field(description="Why it failed (URLs redacted).",
                         examples=["https://www.dhs.gov/uflpa-entity-list: HTTP 404"])


class ListSourcePublic(BaseModel):
    source: str = Field(examples=["uflpa_entity_list"])
    entry_count: int = Field(examples=[84])
    snapshot_date: str | None = Field(examples=["2025-01-15"])
    coverage_note: str | None = Field(description="What the loaded data covers and what it misses.")
    stale: bool = Field(description="True when the last successful check against the upstream (or, never checked, "
                                    "the snapshot date) is older than the source's max_age_days.")
    last_checked_at: datetime = Field(description="Last successful check against the upstream, changed or not; "
                                                  "for a source never checked, its snapshot date.")
    last_changed_at: datetime | None = Field(description="When a new version of the source was last activated.")
    last_error: ListErrorPublic | None = Field(
        description="The last failed sync, when it is more recent than the last successful check; the active "
                    "version stays in use.")
    max_age_days: int = Field(description="Age after which the source is stale.", examples=[7])
    active_version: VersionPublic


class ListSourcesPublic(BaseModel):
    data: list[ListSourcePublic]


class VersionsPublic(BaseModel):
    data: list[VersionPublic]
    count: int


class ListEntryPublic(BaseModel):
    source: str = Field(examples=["uflpa_entity_list"])
    entry_id: str = Field(description="The upstream's own id.", examples=["uflpa-003"])
    name: str = Field(examples=["Hoshine Silicon Industry (Shanshan) Co., Ltd"])
    entity_type: str = Field(examples=["company"])
    aliases: list[str]
    chinese_names: list[str]
    addresses: list[str]
    city: str | None
    country: str | None = Field(examples=["CN"])
    date_listed: date | None
    legal_basis: str | None = Field(examples=["UFLPA Section 2(d)(2)(B)(i)"])
    citation: str | None
    remarks: str | None
    program: str | None
    xinjiang_linked: bool
    match_by_name: bool = Field(description="False for region-wide orders, applied as rules, not by name.")
    extra: dict[str, str]
    version_id: int


class ListEntriesPublic(BaseModel):
    data: list[ListEntryPublic]
    count: int = Field(description="Entries matching the filter, across all pages.")
    limit: int
    offset: int


class EntryRefPublic(BaseModel):
    entry_id: str = Field(examples=["uflpa-150"])
    name: str


class FieldChangePublic(BaseModel):
    before: Any = Field(description="The value in the previous version.")
    after: Any = Field(description="The value in this version.")


class ChangedEntryPublic(EntryRefPublic):
    fields: dict[str, FieldChangePublic] = Field(
        description="The fields that changed: name, aliases, chinese_names, legal_basis (sections), date_listed, "
                    "section_dates, status.")


class ListChangePublic(BaseModel):
    version_id: int = Field(description="The version that made the change.", examples=[7])
    previous_version_id: int | None = Field(description="The version it replaced; null for a source's first.")
    at: datetime = Field(description="When the version was loaded.")
    added: list[EntryRefPublic]
    removed: list[EntryRefPublic]
    changed: list[ChangedEntryPublic]


class ListChangesPublic(BaseModel):
    data: list[ListChangePublic] = Field(description="Newest first.")
    count: int = Field(description="Versions with changes matching the filter, across all pages.")
    limit: int
    offset: int
