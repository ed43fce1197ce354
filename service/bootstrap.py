"""First-start work shared by `flrisk serve`, the app lifespan and the worker: migrate, load the snapshot."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.snapshot import load_snapshot
from service.lists.versions import LoadOutcome
from service.settings import Settings
from service.store.migrate import upgrade

log = logging.getLogger(__name__)
_SNAPSHOT_LOCK = 727275


def prepare_database(engine: Engine, settings: Settings) -> list[LoadOutcome]:
    """Bring the schema to head and load the shipped snapshot for sources that have no list yet."""
    upgrade(engine)
    if not settings.load_snapshot_on_start:
        return []
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "postgresql":
            # Replicas starting together: one loads, the others then find the lists present.
            session.exec(text(f"SELECT pg_advisory_xact_lock({_SNAPSHOT_LOCK})"))  # type: ignore[call-overload]
        outcomes = load_snapshot(session, only_missing=True, max_shrink_ratio=settings.max_shrink_ratio)
        session.commit()
    for outcome in outcomes:
        log.info(outcome.message)
    return outcomes
