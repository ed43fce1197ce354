"""First-start work shared by `flrisk serve`, the app lifespan and the worker: migrate, load the snapshot."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from service.auth.keys import SCOPES, resolve_secret
from service.lists.snapshot import load_snapshot
from service.lists.versions import LoadOutcome
from service.services.keys import create_key
from service.settings import Settings
from service.store import auth_repo
from service.store.db import transaction
from service.store.migrate import upgrade

log = logging.getLogger(__name__)
_SNAPSHOT_LOCK = 727275


def prepare_database(engine: Engine, settings: Settings) -> list[LoadOutcome]:
    """Bring the schema to head and load the shipped snapshot for sources that have no list yet."""
    upgrade(engine)
    if not settings.load_snapshot_on_start:
        return []
    return _load_snapshot(engine, settings)


def first_admin_key(engine: Engine, settings: Settings) -> str | None:
    """On the embedded default only: when no key exists yet, create an admin key, keep it in a 0600 file
    beside the database and return it (shown once), so the two-command quick start works."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    secret = resolve_secret(settings.secret_key, settings.database_url)
    with transaction(engine) as session:
        if auth_repo.count_keys(session):
            return None
        created = create_key(session, secret, name="first admin key (embedded default)", scopes=SCOPES,
                             actor="bootstrap")
    path = admin_key_path(settings)
    assert path is not None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as fh:
        fh.write(created.key + "\n")
    return created.key


def admin_key_path(settings: Settings) -> Path | None:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().with_name("flrisk-admin.key")


def _load_snapshot(engine: Engine, settings: Settings) -> list[LoadOutcome]:
    with transaction(engine) as session:
        if engine.dialect.name == "postgresql":
            # Replicas starting together: one loads, the others then find the lists present.
            session.exec(text(f"SELECT pg_advisory_xact_lock({_SNAPSHOT_LOCK})"))  # type: ignore[call-overload]
        outcomes = load_snapshot(session, only_missing=True, max_shrink_ratio=settings.max_shrink_ratio)
    for outcome in outcomes:
        log.info(outcome.message)
    return outcomes
