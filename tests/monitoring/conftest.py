"""Monitoring fixtures: the app with the monitoring routers, a fast delivery loop, real HTTP receivers.

The receivers listen on 127.0.0.1, which the service refuses by default: these tests run with loopback in
FLRISK_WEBHOOK_ALLOWED_NETWORKS, the operator setting for on-premises receivers (tests/security checks the
refusals with it off)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from service.monitoring.webhooks import DeliveryLoop, RetryPolicy
from service.settings import Settings
from tests.conftest import TEST_SECRET

FAST = RetryPolicy(max_attempts=3, base_seconds=0.05, cap_seconds=0.2, max_age_seconds=30, timeout_seconds=0.5)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, secret_key=TEST_SECRET,
                    webhook_allowed_networks="127.0.0.0/8")


@pytest.fixture
def mclient(client: TestClient) -> TestClient:
    """`client` without the app's own delivery loop (the tests run their own, faster one)."""
    app = client.app
    own = getattr(app.state, "deliveries", None)  # type: ignore[attr-defined]
    if own is not None:
        own.stop()
    return client


@pytest.fixture
def deliveries(mclient: TestClient) -> Iterator[DeliveryLoop]:
    state = mclient.app.state  # type: ignore[attr-defined]
    loop = DeliveryLoop(state.engine, box=state.secret_box, egress=state.egress, policy=FAST, poll_seconds=0.02)
    loop.start()
    yield loop
    loop.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    url: str
    behaviour: str  # ok, fail_twice, hang
    requests: list[Received] = field(default_factory=list)
    hang_seconds: float = 1.5

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.requests) < count:
            time.sleep(0.02)
        return self.requests


@pytest.fixture
def receiver() -> Iterator[Callable[[str], Receiver]]:
    """Start HTTP servers on 127.0.0.1 that record every request and answer as told."""
    servers: list[ThreadingHTTPServer] = []

    def start(behaviour: str) -> Receiver:
        state = Receiver(url="", behaviour=behaviour)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
                state.requests.append(Received(dict(self.headers.items()), body))
                if state.behaviour == "hang":
                    time.sleep(state.hang_seconds)  # accepts the connection, never answers in time
                    return
                failing = state.behaviour == "fail_twice" and len(state.requests) <= 2
                self.send_response(500 if failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
