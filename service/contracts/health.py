"""Liveness and readiness answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    database: str = Field(examples=["sqlite"])
    lists: dict[str, int] = Field(description="Active entry count per source.")
    stale_sources: list[str] = Field(description="Sources whose active data is older than the configured age.")
