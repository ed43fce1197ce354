"""Request and response models of the matching endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.api.text import Country, Name, OptionalText
from service.screening.model import KNOWN_SOURCES


class ThresholdsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # strict: a number, as documented; pydantic would otherwise take `true` or "0.7" for a float
    strong: float = Field(ge=0, le=1, strict=True, description="Score at or above which a match is `strong`.",
                          examples=[0.9])
    review: float = Field(ge=0, le=1, strict=True, description="Score at or above which a match needs review.",
                          examples=[0.7])

    @model_validator(mode="after")
    def _ordered(self) -> ThresholdsIn:
        if self.review > self.strong:
            raise ValueError("review threshold must not exceed strong threshold")
        return self


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(description="Name as written in the record, any script.",
                       examples=["HOSHINE SILICON IND SHANSHAN CO LTD"])
    type: Literal["company", "person"] | None = Field(default=None, description="Guessed when absent.")
    chinese_name: OptionalText = Field(default=None, description="Name in Chinese characters, if known.",
                                       examples=["新疆合盛硅业有限公司"])
    country: Country = None
    address: OptionalText = Field(default=None, examples=["Shanshan County, Turpan, Xinjiang"])


class MatchRequest(PartyIn):
    sources: list[str] | None = Field(default=None, description="Restrict to these sources.",
                                      examples=[["uflpa_entity_list"]])
    thresholds: ThresholdsIn | None = None
    limit: int = Field(default=10, ge=1, le=100, strict=True)

    @model_validator(mode="after")
    def _known_sources(self) -> MatchRequest:
        unknown = sorted(set(self.sources or ()) - set(KNOWN_SOURCES))
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; known: {list(KNOWN_SOURCES)}")
        return self


class LinkedEntryOut(BaseModel):
    source: str = Field(examples=["bis_entity_list"])
    entry_id: str = Field(examples=["bis-004"])
    name: str


class MatchOut(BaseModel):
    source: str = Field(examples=["uflpa_entity_list"])
    entry_id: str = Field(examples=["uflpa-003"])
    name: str = Field(examples=["Hoshine Silicon Industry (Shanshan) Co., Ltd"])
    matched_alias: str = Field(description="The list name or alias that produced the score.")
    score: float = Field(ge=0, le=1, examples=[0.93])
    band: Literal["strong", "review"]
    features: dict[str, Any] = Field(description="Why: the features that produced the score.")
    citation: str | None = Field(description="Where the list entry comes from.")
    legal_basis: str | None = None
    date_listed: str | None = None
    consequence: str = Field(description="What a hit on this list means for the importer.")
    linked_entries: list[LinkedEntryOut] = Field(
        default_factory=list, description="The same entity's entries on other lists (each also returned as a match).")


class MatchResponse(BaseModel):
    list_versions: dict[str, str] = Field(description="The list versions the query was checked against.")
    query_name: str = Field(description="The name as matched: invisible characters and noise removed, text under a "
                                        "right-to-left override in the order it is displayed.")
    ignored: list[str] = Field(default_factory=list, description="Noise cut from the name field and not matched "
                               "(attention, care-of, contact, department, address, ERP markers).")
    matches: list[MatchOut]


class MatchBatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queries: list[MatchRequest] = Field(min_length=1, max_length=1000)


class MatchBatchResponse(BaseModel):
    list_versions: dict[str, str]
    results: list[MatchResponse]


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: PartyIn
    b: PartyIn
    thresholds: ThresholdsIn | None = None


class CompareResponse(BaseModel):
    score: float = Field(ge=0, le=1)
    band: Literal["strong", "review"] | None = Field(description="None when below the review threshold.")
    features: dict[str, Any]
