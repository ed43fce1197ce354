"""Test strategy.

Every database test runs twice: on SQLite (a fresh file per test) and on the real PostgreSQL
server at FLRISK_TEST_POSTGRES_URL (default 127.0.0.1:5432, trust auth). For PostgreSQL one
throw-away database is created per test session, migrated from empty, and its tables are emptied
before each test. Nothing mocks the database. When PostgreSQL is unreachable the PostgreSQL
variants are skipped locally, but fail under CI=true, where `.ci/run` has started the server.

Use the `engine` fixture for storage-level tests and `client` for HTTP tests (a real app from
`create_app()` with its lifespan: migrations, snapshot load, list registry).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service.settings import Settings
from service.store.db import make_engine
from service.store.migrate import upgrade

PG_ADMIN_URL = os.environ.get("FLRISK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TABLES_IN_DELETE_ORDER = ("relation", "relation_org", "relation_source", "relation_version", "console_session",
                          "webhook_delivery", "webhook", "alert", "supplier", "monitor_round",
                          "batch_finding", "batch_chunk", "batch_file", "batch", "idempotency_key", "screening",
                          "audit_event", "decision", "api_key", "list_fetch_state", "list_change", "list_entry",
                          "list_source", "list_version")
TEST_SECRET = "test-secret-not-for-production"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _pg_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    if not _pg_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable at {PG_ADMIN_URL} under CI")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}")
    name = f"flrisk_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'flrisk.db'}"
    pg_engine: Engine = request.getfixturevalue("pg_engine")
    with pg_engine.begin() as conn:
        for table in TABLES_IN_DELETE_ORDER:
            conn.execute(text(f"DELETE FROM {table}"))
    return str(pg_engine.url.render_as_string(hide_password=False))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, secret_key=TEST_SECRET)


def add_key(client: TestClient, *, scopes: tuple[str, ...] = ("screen", "read", "decide", "admin"),
            org: str = "default", name: str = "test") -> str:
    """A fresh API key on the running app's database."""
    from sqlmodel import Session

    from service.services.keys import create_key

    with Session(client.app.state.engine, expire_on_commit=False) as session:
        created = create_key(session, client.app.state.secret, name=name, scopes=scopes, org_id=org, actor="test")
        session.commit()
    return created.key


@pytest.fixture
def anonymous_client(settings: Settings) -> Iterator[TestClient]:
    """The real app with its lifespan, sending no API key."""
    from service.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous_client: TestClient) -> TestClient:
    """The real app, every request carrying an API key with all scopes of the default organisation."""
    anonymous_client.headers["X-API-Key"] = add_key(anonymous_client)
    return anonymous_client
