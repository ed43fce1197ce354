"""Issue 17, item 11: /metrics (every organisation's figures) opens only with the operator's token, and under
`flrisk serve --workers 2` every scrape answers for both processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from benchmarks.local_server import free_port, stop, wait_ready
from service.settings import Settings
from tests.conftest import TEST_SECRET, add_key

TOKEN = "scrape-token-0123456789"
FLRISK = str(Path(sys.executable).parent / "flrisk")


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, jobs_backend="inline", metrics_token=TOKEN)


class TestToken:
    def test_no_tenant_key_opens_metrics(self, client: TestClient) -> None:
        for scopes in (("read",), ("screen", "read", "decide", "admin")):
            key = add_key(client, scopes=scopes, org="tenant-b")
            for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
                response = client.get("/metrics", headers=headers)
                assert response.status_code == 403, (scopes, headers)
                assert "flrisk_http_requests_total" not in response.text

    def test_the_operator_token_does(self, client: TestClient) -> None:
        client.get("/v1/lists")

        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

        assert response.status_code == 200
        assert 'flrisk_http_requests_total{method="GET",route="/v1/lists",status="200"} 1.0' in response.text

    def test_without_a_configured_token_nobody_gets_metrics(self, database_url: str) -> None:
        from service.app import create_app

        with TestClient(create_app(Settings(database_url=database_url, secret_key=TEST_SECRET))) as client:
            response = client.get("/metrics", headers={"X-API-Key": add_key(client)})

        assert response.status_code == 403
        assert "FLRISK_METRICS_TOKEN" in response.json()["detail"]


def _requests_counted(text: str) -> float:
    found = re.search(r'^flrisk_http_requests_total\{method="GET",route="/v1/lists",status="200"\} ([0-9.e+]+)$',
                      text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_two_server_processes_report_together(tmp_path: Path) -> None:
    env = {**os.environ, "FLRISK_DATABASE_URL": f"sqlite:///{tmp_path / 'flrisk.db'}", "FLRISK_SECRET_KEY": "t",
           "FLRISK_METRICS_TOKEN": TOKEN, "FLRISK_LOG_LEVEL": "WARNING"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    key = subprocess.run([FLRISK, "keys", "create", "--name", "t", "--scopes", "read"], env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([FLRISK, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        for _ in range(40):  # a new connection each time: the two processes share the listening socket
            with httpx.Client(base_url=base, headers={"X-API-Key": key}) as http:
                assert http.get("/v1/lists").status_code == 200
        scrapes = []
        for _ in range(10):
            with httpx.Client(base_url=base) as http:
                scrapes.append(_requests_counted(http.get("/metrics", headers={
                    "Authorization": f"Bearer {TOKEN}"}).text))
        shared = _multiproc_dir(server.pid)
        writers = {f.name for f in shared.glob("counter_*.db")}
    finally:
        stop(server)

    assert scrapes == [40.0] * 10
    assert len(writers) == 2  # both worker processes counted requests
    assert not shared.exists()  # removed when the server stops


def _multiproc_dir(pid: int) -> Path:
    """The metrics directory `flrisk serve` handed to its worker processes: where the files they map live (forked
    workers inherit the variable in memory, so it is not in their /proc environ)."""
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/maps").read_text().splitlines():
            path = Path(line.split()[-1]) if line.split() else Path()
            if path.name.startswith("counter_") and path.suffix == ".db":
                return path.parent
    raise AssertionError("no worker process maps a prometheus multiprocess file")
