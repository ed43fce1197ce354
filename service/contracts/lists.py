"""Response models of the list endpoints."""

from __future__ import annotations

from datetime import date, datetime

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


class ListSourcePublic(BaseModel):
    source: str = Field(examples=["uflpa_entity_list"])
    entry_count: int = Field(examples=[84])
    snapshot_date: str | None = Field(examples=["2025-01-15"])
    coverage_note: str | None = Field(description="What the loaded data covers and what it misses.")
    stale: bool = Field(description="True when the active version's data is older than the configured age.")
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
