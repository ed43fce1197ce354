"""The single-screening hot path: what it sends to the database, and what it does not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.store.db import make_engine
from service.store.decisions_repo import LazyDecisions
from tests.factories import party, record

LISTED = party(name="Hoshine Silicon Industry (Shanshan) Co Ltd", country="CN")
ORDINARY = party(name="Nordic Apparel Components GmbH", country="DE")


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record_statement(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record_statement)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record_statement)


def test_decisions_are_read_only_when_a_party_matches_a_list_entry(client: TestClient) -> None:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    client.get("/v1/lists")  # the key is verified and cached before counting
    with statements(engine) as seen:
        assert client.post("/v1/screenings", json=record(parties=[ORDINARY])).status_code == 201
    assert not [s for s in seen if "FROM decision" in s], seen
    writes = [s for s in seen if "INSERT INTO" in s]
    if engine.dialect.name == "postgresql":  # result and audit event in one statement: one round trip
        assert len(writes) == 1
        assert "INSERT INTO screening" in writes[0]
        assert "INSERT INTO audit_event" in writes[0]
    else:
        assert [w.split()[2] for w in writes] == ["screening", "audit_event"]
    with statements(engine) as seen:
        assert client.post("/v1/screenings", json=record(parties=[LISTED])).status_code == 201
    assert [s for s in seen if "FROM decision" in s]


def test_a_decision_made_just_before_applies_to_the_next_screening(client: TestClient) -> None:
    first = client.post("/v1/screenings", json=record(kind="supplier", parties=[LISTED])).json()
    for e in first["evidence"]:
        if e["type"] == "list_match":
            made = client.post("/v1/decisions", json={
                "party": {"name": LISTED["name"], "country": "CN"}, "source": e["list_entry"]["source"],
                "entry_id": e["list_entry"]["entry_id"], "decision": "false_positive", "reason": "test",
                "analyst": "a.analyst"})
            assert made.status_code == 201
    again = client.post("/v1/screenings", json=record(kind="supplier", parties=[LISTED])).json()
    assert {e["effect"] for e in again["evidence"] if e["type"] == "list_match"} == {"informational"}


def test_lazy_decisions_load_on_first_lookup_only(engine: Engine) -> None:
    with Session(engine) as session:
        lazy = LazyDecisions(session, "default")
        assert (lazy or {}) is lazy
        assert not lazy.loaded
        assert lazy.get(("x|", "ofac_sdn", "1")) is None
        assert lazy.loaded
        assert len(lazy) == 0


def test_a_connection_lost_while_idle_is_replaced_not_failed(pg_url: str, monkeypatch: Any) -> None:
    """No ping on every checkout (a round trip per request), but one after the connection sat idle.

    PostgreSQL only: it needs a server backend to terminate from outside the pool, as a restart would."""
    import service.store.db as db

    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        url = engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
        with psycopg.connect(url, autocommit=True) as admin:  # from outside the pool, as a restart would
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        for _ in range(3):  # whichever pooled connection comes out, the query works
            with engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()
