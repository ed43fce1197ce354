"""Response models of the relations endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class EntryRef(BaseModel):
    source: str = Field(examples=["uflpa_entity_list"])
    entry_id: str = Field(examples=["uflpa-003"])


class RelatedParty(BaseModel):
    key: str = Field(description="Graph key: `list:<source>:<entry_id>`, `lei:<LEI>` or `ftm:<id>`.",
                     examples=["lei:TESTPARENTLEI0000049"])
    name: str
    lei: str | None = None
    country: str | None = Field(default=None, examples=["CN"])
    entity_type: str = Field(examples=["company"])
    list_entry: EntryRef | None = Field(default=None, description="Set when the party is a list entry.")


class RelationPublic(BaseModel):
    relation: str = Field(description="The relation as seen from this party: subsidiary_of, branch_of, owned_by, "
                                      "formerly, linked_to, directed_by, same_as, or the inverse when walked down "
                                      "(parent_of, head_office_of, owner_of, renamed_as, director_of).",
                          examples=["subsidiary_of"])
    kind: str = Field(description="The stored relation kind (subject KIND object).", examples=["subsidiary_of"])
    direction: Literal["up", "down"] = Field(description="up: this party is the relation's subject.")
    other: RelatedParty
    source: str = Field(description="Who says so: gleif, opensanctions, a list source, or flrisk_match.",
                        examples=["gleif"])
    citation: str
    share: float | None = Field(default=None, description="Ownership share in percent, when stated.")
    start_date: date | None = None
    end_date: date | None = None


class PathPublic(BaseModel):
    list_entry: dict[str, str] = Field(description="The list entry the path reaches (source, entry_id, name).")
    effect_if_strong_match: Literal["presumption", "review", "elevated", "informational"] = Field(
        description="The effect a screening gives this path when the party's name matches strongly.")
    rule: str = Field(description="listing_scope, ofac_50_percent, branch, same_entity or related.",
                      examples=["listing_scope"])
    reason: str
    path: list[dict[str, Any]] = Field(description="Steps from the party to the list entry: name, lei, relation, "
                                                   "source, citation (the last step is the list entry).")


class PartyRelations(BaseModel):
    party: RelatedParty
    relations: list[RelationPublic]
    paths: list[PathPublic]


class PartyRelationsPage(BaseModel):
    data: list[PartyRelations]
    count: int


class RelationVersionPublic(BaseModel):
    id: int = Field(examples=[2])
    content_hash: str = Field(description="sha256 of the version's canonical content.")
    loaded_at: datetime
    origin: str = Field(description="Files the version was loaded from.")
    relation_count: int
    org_count: int
    snapshot_date: str | None = Field(default=None, examples=["2026-12-01"])
    coverage_note: str | None = None
    active: bool = True


class RelationSourcePublic(BaseModel):
    source: str = Field(examples=["gleif"])
    relation_count: int
    org_count: int
    snapshot_date: str | None
    coverage_note: str | None
    stale: bool = Field(description="True when the active version's data is older than the configured age.")
    active_version: RelationVersionPublic


class RelationsStatus(BaseModel):
    data: list[RelationSourcePublic]
    list_relations: int = Field(description="Relations the active lists state themselves (named subsidiaries, "
                                            "OFAC 'Linked To'), versioned with the lists.")
    related_orgs: int = Field(description="External organisations within reach of a list entry: the names a "
                                          "screened party is matched against.")


class RelationVersionsPublic(BaseModel):
    data: list[RelationVersionPublic]
    count: int
