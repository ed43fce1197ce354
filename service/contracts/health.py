"""Liveness and readiness answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    database: str = Field(examples=["sqlite"])
    lists: dict[str, int] = Field(description="Active entry count per source.")
    stale_sources: list[str] = Field(description=(
        "Sources not checked successfully against their official publication within their maximum age (default "
        "FLRISK_STALE_AFTER_DAYS); never checked: counted from the snapshot date."))
    matcher: Literal["compiled", "interpreted"] = Field(
        description="How the screening core runs in this process: `compiled` (mypyc extension modules, built by "
                    "`pip install`) or `interpreted` (no compiler at install, `FLRISK_PURE_PYTHON=1`, or compiled "
                    "modules older than their sources). Results are identical; compiled is faster.",
        examples=["compiled"])
