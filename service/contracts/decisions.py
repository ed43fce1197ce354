"""Analyst decisions on (party, list entry) pairs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.contracts.text import Country, Name


class DecisionParty(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Hoshine Silicon (Ningbo) Trading Co Ltd"])
    country: Country = None


class DecisionPartyPublic(BaseModel):
    name: str
    country: str | None = Field(description="ISO alpha-2 code; a decision recorded before countries were checked "
                                            "may show a value that names no country, as it was stored.",
                                examples=["CN"])


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party: DecisionParty
    source: str = Field(min_length=1, max_length=64, examples=["uflpa_entity_list"])
    entry_id: str = Field(min_length=1, max_length=200, examples=["uflpa-003"])
    decision: Literal["false_positive", "confirmed"]
    reason: str = Field(min_length=1, max_length=4000,
                        examples=["Different company: Ningbo trading firm, no XUAR link"])
    analyst: str = Field(min_length=1, max_length=200, examples=["j.doe"])


class DecisionPublic(BaseModel):
    id: str
    party: DecisionPartyPublic
    source: str
    entry_id: str
    decision: str
    reason: str
    analyst: str
    created_at: datetime
    revoked_at: datetime | None
    status: Literal["active", "invalidated", "revoked"] = Field(
        description="`invalidated` when the list entry changed (or left the list) since the decision.")


class DecisionsPage(BaseModel):
    data: list[DecisionPublic]
    count: int
