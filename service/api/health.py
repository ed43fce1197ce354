"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import EngineDep, SettingsDep
from service.contracts.health import Health, Readiness
from service.errors import ServiceUnavailableError
from service.lists.status import status_of
from service.native import build_mode
from service.store import lists_repo
from service.store.db import read_session

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers", response_model=Health)
def health() -> Health:
    return Health(status="ok")


@router.get("/ready", summary="Readiness: database reachable and lists loaded", response_model=Readiness,
            responses=ServiceUnavailableError.response_doc())
def ready(engine: EngineDep, settings: SettingsDep) -> Readiness:
    try:
        with read_session(engine) as session:
            lists_repo.ping(session)
            versions = lists_repo.active_versions(session)
            pointers = lists_repo.pointers(session)
    except Exception as exc:  # any driver error means "not ready", with the reason
        raise ServiceUnavailableError(f"database unreachable: {type(exc).__name__}") from exc
    if not versions:
        raise ServiceUnavailableError("no list loaded yet")
    lists: dict[str, Any] = {v.source: v.entry_count for v in versions}
    # The same rule as every result's `lists[].stale`: age of the last successful check, else of the snapshot.
    stale = [v.source for v in versions
             if status_of(v, pointers.get(v.source), default_max_age_days=settings.stale_after_days).stale]
    return Readiness(status="ready", database=engine.dialect.name, lists=lists, stale_sources=stale,
                     matcher=build_mode())
