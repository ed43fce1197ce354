"""The full loop: supplier registered -> a list update adds it -> re-screen job -> alerts -> signed webhook.

On SQLite the re-screen chunks run on the API's in-process runner; on PostgreSQL on a real `flrisk worker`.
"""

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.jobs.deliveries import DeliveryLoop
from service.jobs.rescreen import on_lists_changed
from service.lists.versions import LoadRequest, load_list
from service.monitoring.rounds import start_round
from service.monitoring.webhooks import verify
from service.store.db import transaction
from service.store.tables import ScreeningRow
from tests.conftest import add_key
from tests.factories import make_entry
from tests.monitoring.conftest import Receiver

SECRET = "whsec_loop_0123456789abcdef"
NAME = "Qingshan Phantom Widget Works Co Ltd"


def _add_to_ofac(client: TestClient) -> dict[str, int]:
    """A new active OFAC SDN version with an entry matching the supplier, then this process notices it."""
    registry = client.app.state.registry
    with Session(client.app.state.engine, expire_on_commit=False) as session:
        snapshot = [e for e in registry.current().entries if e.source == "ofac_sdn"]
        added = make_entry(source="ofac_sdn", entry_id="99001", name=NAME.upper())
        load_list(session, LoadRequest(source="ofac_sdn", entries=[*snapshot, added], origin="test"),
                  max_shrink_ratio=0.2)
        session.commit()
    registry.refresh()
    pointers: dict[str, int] = registry.current().pointers
    # What ListRegistry.refresh() does once app.py wires the hook; a second call is a no-op.
    on_lists_changed(client.app.state.engine, pointers, client.app.state.jobs)
    return pointers


@pytest.fixture
def run_jobs(mclient: TestClient, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Let queued re-screen jobs run: drain the in-process runner, or start a real worker on PostgreSQL."""
    workers: list[subprocess.Popen[bytes]] = []
    jobs = mclient.app.state.jobs

    def run() -> None:
        if hasattr(jobs, "drain"):
            try:
                jobs.drain()
                return
            except NotImplementedError:
                pass
        url = mclient.app.state.settings.database_url
        env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_LIST_POLL_SECONDS": "0.5"}
        with (tmp_path / "worker.log").open("wb") as out:
            workers.append(subprocess.Popen([str(Path(sys.executable).parent / "flrisk"), "worker"], env=env,
                                            stdout=out, stderr=subprocess.STDOUT))

    yield run
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=20)


def _wait(fetch: Callable[[], list[Any]], count: int, timeout: float = 60) -> list[Any]:
    deadline = time.monotonic() + timeout
    while True:
        got = fetch()
        if len(got) >= count or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def test_registered_supplier_listed_later_raises_alerts_and_signed_webhooks(
        mclient: TestClient, deliveries: DeliveryLoop, receiver: Callable[[str], Receiver],
        run_jobs: Callable[[], None]) -> None:
    server = receiver("ok")
    hook = mclient.post("/v1/webhooks", json={"url": server.url, "events": ["alert.created"], "secret": SECRET})
    assert hook.status_code == 201
    supplier = mclient.post("/v1/suppliers", json={"reference": "V-77", "name": NAME, "country": "CN"}).json()
    assert supplier["last_verdict"] == "clear"
    assert supplier["last_matches"] == []

    _add_to_ofac(mclient)
    run_jobs()

    alerts = _wait(lambda: mclient.get("/v1/alerts").json()["data"], 2)
    assert sorted(a["type"] for a in alerts) == ["new_match", "verdict_worse"]
    by_type = {a["type"]: a for a in alerts}
    assert by_type["verdict_worse"]["details"]["old_verdict"] == "clear"
    assert by_type["verdict_worse"]["details"]["new_verdict"] == "review"
    new_match = by_type["new_match"]["details"]
    assert (new_match["source"], new_match["entry_id"]) == ("ofac_sdn", "99001")
    assert new_match["citation"] == "test factory"
    assert new_match["list_entry"]["name"] == NAME.upper()
    # The alerts name the list change behind them: the entry the new OFAC version added.
    change = new_match["list_change"]
    assert (change["change"], change["source"], change["entry_id"], change["name"]) == (
        "added", "ofac_sdn", "99001", NAME.upper())
    assert [c["entry_id"] for c in by_type["verdict_worse"]["details"]["list_changes"]] == ["99001"]
    assert {a["supplier_id"] for a in alerts} == {supplier["id"]}

    now = mclient.get(f"/v1/suppliers/{supplier['id']}").json()
    assert now["last_verdict"] == "review"
    assert now["last_matches"] == [["ofac_sdn", "99001"]]
    assert {a["screening_id"] for a in alerts} == {now["last_screening_id"]}
    with Session(mclient.app.state.engine) as session:
        rescreen = session.get(ScreeningRow, now["last_screening_id"])
        assert rescreen is not None
        assert rescreen.previous_screening_id == supplier["last_screening_id"]

    received = server.wait_for(2)
    assert len(received) == 2
    for request in received:
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert verify(SECRET, headers["x-flrisk-signature"], request.body)
        assert headers["x-flrisk-event"] == "alert.created"
    assert sorted(json.loads(r.body)["data"]["id"] for r in received) == sorted(a["id"] for a in alerts)

    types = {e["type"] for e in mclient.get("/v1/audit").json()["data"]}
    assert {"supplier.created", "supplier.rescreened", "alert.created", "webhook.created"} <= types


def test_same_list_versions_start_no_second_round(mclient: TestClient, run_jobs: Callable[[], None]) -> None:
    mclient.post("/v1/suppliers", json={"reference": "V-77", "name": NAME, "country": "CN"})
    pointers = _add_to_ofac(mclient)
    run_jobs()
    _wait(lambda: mclient.get("/v1/alerts").json()["data"], 2)
    with transaction(mclient.app.state.engine) as session:
        assert start_round(session, pointers) is None
    on_lists_changed(mclient.app.state.engine, pointers, mclient.app.state.jobs)
    time.sleep(0.5)
    assert mclient.get("/v1/alerts").json()["count"] == 2


def test_exactly_one_process_wins_a_round(mclient: TestClient) -> None:
    engine = mclient.app.state.engine
    pointers = {"ofac_sdn": 10_001, "uflpa_entity_list": 10_002}
    won: list[object] = []
    barrier = threading.Barrier(6)

    def race() -> None:
        barrier.wait()
        with transaction(engine) as session:
            won.append(start_round(session, pointers))

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([w for w in won if w is not None]) == 1


class TestAlertsApi:
    def _alerts(self, mclient: TestClient, run_jobs: Callable[[], None]) -> list[dict[str, Any]]:
        mclient.post("/v1/suppliers", json={"reference": "V-77", "name": NAME, "country": "CN"})
        _add_to_ofac(mclient)
        run_jobs()
        return _wait(lambda: mclient.get("/v1/alerts").json()["data"], 2)

    def test_acknowledge_with_note(self, mclient: TestClient, run_jobs: Callable[[], None]) -> None:
        alert = self._alerts(mclient, run_jobs)[0]
        response = mclient.post(f"/v1/alerts/{alert['id']}/acknowledge", json={"note": "asked for audit report"})
        assert response.status_code == 200
        assert response.json()["note"] == "asked for audit report"
        assert response.json()["acknowledged_at"] is not None
        assert mclient.post(f"/v1/alerts/{alert['id']}/acknowledge", json={"note": "again"}).status_code == 409
        assert [a["id"] for a in mclient.get("/v1/alerts", params={"status": "acknowledged"}).json()["data"]] == \
            [alert["id"]]
        assert mclient.get("/v1/alerts", params={"status": "open"}).json()["count"] == 1
        events = mclient.get("/v1/audit", params={"type": "alert.acknowledged"}).json()["data"]
        assert [e["subject"] for e in events] == [alert["id"]]
        assert events[0]["details"]["note"] == "asked for audit report"

    def test_other_organisation_sees_no_alerts(self, mclient: TestClient, run_jobs: Callable[[], None]) -> None:
        alert = self._alerts(mclient, run_jobs)[0]
        other = {"X-API-Key": add_key(mclient, org="acme")}
        assert mclient.get("/v1/alerts", headers=other).json()["count"] == 0
        assert mclient.get(f"/v1/alerts/{alert['id']}", headers=other).status_code == 404
        assert mclient.post(f"/v1/alerts/{alert['id']}/acknowledge", json={"note": "x"},
                            headers=other).status_code == 404
