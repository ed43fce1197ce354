"""Issue 17, item 9: secrets at rest and in logs. Webhook secrets encrypted (and rotated on demand), the SQLite
files 0600, URLs with credentials redacted from the HTTP client's log, the first admin key printed only to a
terminal."""

from __future__ import annotations

import logging
import os
import pty
import select
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from benchmarks.local_server import free_port, stop, wait_ready
from service.auth.encryption import SecretBox
from service.monitoring.egress import EgressPolicy
from service.monitoring.webhooks import DeliveryLoop, enqueue_event
from service.settings import Settings
from service.store.monitor_tables import WebhookRow
from tests.conftest import TEST_SECRET
from tests.monitoring.conftest import FAST, Receiver

SECRET = "whsec_the_receivers_shared_secret"
FLRISK = str(Path(sys.executable).parent / "flrisk")


def _register(client: TestClient, url: str = "http://127.0.0.1:9/hook") -> str:
    client.app.state.egress = EgressPolicy.from_setting("127.0.0.0/8")
    response = client.post("/v1/webhooks", json={"url": url, "events": ["alert.created"], "secret": SECRET})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _row(client: TestClient, hook_id: str) -> WebhookRow:
    with Session(client.app.state.engine) as session:
        row = session.get(WebhookRow, hook_id)
        assert row is not None
        return row


class TestWebhookSecretsAtRest:
    def test_stored_encrypted_never_in_plain_text(self, client: TestClient) -> None:
        hook_id = _register(client)

        row = _row(client, hook_id)
        with client.app.state.engine.connect() as conn:
            dumped = " ".join(str(v) for v in conn.execute(text("SELECT * FROM webhook")).one())

        assert row.secret == ""
        assert SECRET not in dumped
        assert SecretBox(TEST_SECRET.encode()).decrypt(str(row.secret_token)) == SECRET

    def test_plain_text_of_earlier_versions_is_encrypted_at_start(self, settings: Settings) -> None:
        from service.app import create_app

        with TestClient(create_app(settings)) as client:
            with Session(client.app.state.engine) as session:
                session.add(WebhookRow(id="legacy", org_id="default", url="http://127.0.0.1:9/", events=["x"],
                                       secret=SECRET))
                session.commit()
        with TestClient(create_app(settings)) as client:
            row = _row(client, "legacy")

        assert row.secret == ""
        assert SecretBox(TEST_SECRET.encode()).decrypt(str(row.secret_token)) == SECRET

    def test_rotate_re_encrypts_under_the_new_server_secret(self, client: TestClient, database_url: str) -> None:
        hook_id = _register(client)
        env = {**os.environ, "FLRISK_DATABASE_URL": database_url, "FLRISK_SECRET_KEY": "the-new-server-secret",
               "FLRISK_LOAD_SNAPSHOT_ON_START": "false"}

        refused = subprocess.run([FLRISK, "secrets", "rotate"], env=env, capture_output=True, text=True)
        rotated = subprocess.run([FLRISK, "secrets", "rotate"], env={**env, "FLRISK_OLD_SECRET_KEYS": TEST_SECRET},
                                 capture_output=True, text=True)

        assert refused.returncode == 2
        assert "nothing was changed" in refused.stderr
        assert rotated.returncode == 0, rotated.stderr
        assert rotated.stdout.strip() == "re-encrypted 1 webhook secrets under the current key"
        assert SecretBox(b"the-new-server-secret").decrypt(str(_row(client, hook_id).secret_token)) == SECRET


def test_sqlite_files_are_created_0600(tmp_path: Path) -> None:
    from service.app import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'data' / 'flrisk.db'}", secret_key=TEST_SECRET)
    old = os.umask(0o022)
    try:
        with TestClient(create_app(settings)) as client:
            assert client.get("/health").status_code == 200
            files = sorted(p.name for p in (tmp_path / "data").iterdir())
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "data").iterdir()}
    finally:
        os.umask(old)

    assert {"flrisk.db", "flrisk.db-wal", "flrisk.db-shm"} <= set(files)
    assert {name: mode for name, mode in modes.items() if mode & 0o077} == {}


def test_http_client_log_never_shows_url_credentials(client: TestClient, receiver: Callable[[str], Receiver],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    server = receiver("ok")
    port = server.url.rsplit(":", 1)[1].split("/")[0]
    _register(client, f"http://hookuser:hook-password@127.0.0.1:{port}/hook?token=query-token")
    client.app.state.deliveries.stop()
    loop = DeliveryLoop(client.app.state.engine, box=client.app.state.secret_box, egress=client.app.state.egress,
                        policy=FAST, poll_seconds=0.02)
    loop.start()
    try:
        with caplog.at_level(logging.DEBUG, logger="httpx"), caplog.at_level(logging.DEBUG, logger="httpcore"):
            with Session(client.app.state.engine) as session:
                enqueue_event(session, "default", "alert.created", {"id": "a-1"})
                session.commit()
            assert len(server.wait_for(1)) == 1
            time.sleep(0.2)
    finally:
        loop.stop()

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"http://***@127.0.0.1:{port}/hook?***" in logged
    assert "hook-password" not in logged
    assert "query-token" not in logged
    audit = client.get("/v1/audit", params={"type": "webhook.created"}).json()["data"][0]
    assert "hook-password" not in str(audit)


class TestFirstAdminKey:
    def _serve(self, tmp_path: Path, **streams: int) -> tuple[subprocess.Popen[bytes], str]:
        env = {**os.environ, "FLRISK_DATABASE_URL": f"sqlite:///{tmp_path / 'flrisk.db'}",
               "FLRISK_LOG_LEVEL": "WARNING"}
        env.pop("FLRISK_SECRET_KEY", None)
        port = free_port()
        proc = subprocess.Popen([FLRISK, "serve", "--port", str(port)], env=env, start_new_session=True, **streams)
        return proc, f"http://127.0.0.1:{port}"

    def test_not_a_terminal_gets_only_the_path(self, tmp_path: Path) -> None:
        log = tmp_path / "serve.log"
        with log.open("wb") as out:
            proc, base = self._serve(tmp_path, stdout=out.fileno(), stderr=out.fileno())
            try:
                wait_ready(base, proc)
            finally:
                stop(proc)
        key_file = tmp_path / "flrisk-admin.key"
        key = key_file.read_text().strip()

        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key.startswith("flr_")
        assert key not in log.read_text()
        assert str(key_file) in log.read_text()

    def test_a_terminal_sees_the_key_once(self, tmp_path: Path) -> None:
        leader, follower = pty.openpty()
        proc, base = self._serve(tmp_path, stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        try:
            wait_ready(base, proc)
            shown = b""
            while b"X-API-Key" not in shown and select.select([leader], [], [], 5)[0]:
                try:
                    shown += os.read(leader, 65536)
                except OSError:
                    break
        finally:
            stop(proc)
            os.close(leader)

        assert (tmp_path / "flrisk-admin.key").read_text().strip() in shown.decode()
