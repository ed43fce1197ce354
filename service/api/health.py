"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlmodel import Session

from service.api.deps import EngineDep, SettingsDep
from service.api.errors import ServiceUnavailableError
from service.lists.versions import is_stale
from service.screening import build_mode
from service.store import lists_repo

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    database: str = Field(examples=["sqlite"])
    lists: dict[str, int] = Field(description="Active entry count per source.")
    stale_sources: list[str] = Field(description="Sources whose active data is older than the configured age.")
    matcher: Literal["compiled", "interpreted"] = Field(
        description="How the screening core runs in this process: `compiled` (mypyc extension modules, built by "
                    "`pip install`) or `interpreted` (no compiler at install, `FLRISK_PURE_PYTHON=1`, or compiled "
                    "modules older than their sources). Results are identical; compiled is faster.",
        examples=["compiled"])


@router.get("/health", summary="Liveness: the process answers", response_model=Health)
def health() -> Health:
    return Health(status="ok")


@router.get("/ready", summary="Readiness: database reachable and lists loaded", response_model=Readiness,
            responses=ServiceUnavailableError.response_doc())
def ready(engine: EngineDep, settings: SettingsDep) -> Readiness:
    try:
        with Session(engine) as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            versions = lists_repo.active_versions(session)
    except Exception as exc:  # any driver error means "not ready", with the reason
        raise ServiceUnavailableError(f"database unreachable: {type(exc).__name__}") from exc
    if not versions:
        raise ServiceUnavailableError("no list loaded yet")
    lists: dict[str, Any] = {v.source: v.entry_count for v in versions}
    stale = [v.source for v in versions if is_stale(v, max_age_days=settings.stale_after_days)]
    return Readiness(status="ready", database=engine.dialect.name, lists=lists, stale_sources=stale,
                     matcher=build_mode())
