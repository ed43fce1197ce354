"""Issue 17, item 3: webhook SSRF. Non-public receivers are refused at registration and again at every send
(DNS rebinding), redirects are not followed, failures are reported generically, webhooks per organisation
are capped.

Nothing here sends a request outside 127.0.0.0/8: addresses elsewhere are only registered (the app's own
delivery loop is stopped, and no event is emitted for them), and names resolve through injected resolvers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.monitoring.egress import EgressPolicy
from service.monitoring.webhooks import FAILURE_NO_RESPONSE, FAILURE_REFUSED, DeliveryLoop, enqueue_event
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.monitoring.conftest import FAST, Receiver

SECRET = "whsec_test_0123456789abcdef"
LOOPBACK_FORMS = ["http://127.0.0.1/hook", "http://localhost:8080/hook", "http://[::1]/hook", "http://127.1/hook",
                  "http://2130706433/hook", "http://0x7f000001/hook", "http://0.0.0.0/hook",
                  "http://[::ffff:127.0.0.1]/hook", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                  "http://192.168.1.10/", "http://[fe80::1]/", "http://[fd00::1]/", "http://100.64.0.1/",
                  "http://loopback.test/hook"]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, jobs_backend="inline", max_webhooks_per_org=3)


def fixed(names: dict[str, str]) -> Callable[[str, int], list[str]]:
    """A resolver for the test's own names; literal addresses resolve to themselves; no DNS query is made."""
    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        return [str(info[4][0]) for info in socket.getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)] \
            if host != "localhost" else ["127.0.0.1", "::1"]
    return resolve


@pytest.fixture
def hooks(client: TestClient) -> TestClient:
    """`client` with the app's own delivery loop stopped and the test names resolvable."""
    client.app.state.deliveries.stop()
    client.app.state.egress = EgressPolicy((), fixed({"loopback.test": "127.0.0.1",
                                                      "hooks.example.com": "93.184.216.34"}))
    return client


@pytest.fixture
def redirecting() -> Iterator[Callable[[str], str]]:
    """start(location): a server on 127.0.0.1 answering every POST with a 302 to `location`; its URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(location: str) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("content-length", 0)))
                self.send_response(302)
                self.send_header("location", location)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/hook"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _register(client: TestClient, url: str) -> object:
    return client.post("/v1/webhooks", json={"url": url, "events": ["alert.created"], "secret": SECRET})


def _emit(client: TestClient) -> None:
    with Session(client.app.state.engine) as session:
        enqueue_event(session, "default", "alert.created", {"id": "a-1"})
        session.commit()


def _delivery(client: TestClient, hook_id: str, timeout: float = 10) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(f"/v1/webhooks/{hook_id}/deliveries").json()["data"]
        if data and data[0]["attempts"] >= 1 and data[0]["last_attempt_at"] and data[0]["last_error"] is not None:
            return dict(data[0])
        time.sleep(0.05)
    raise AssertionError("no attempt recorded")


def _loop(client: TestClient, egress: EgressPolicy) -> DeliveryLoop:
    loop = DeliveryLoop(client.app.state.engine, box=client.app.state.secret_box, egress=egress, policy=FAST,
                        poll_seconds=0.02)
    loop.start()
    return loop


class TestRegistration:
    @pytest.mark.parametrize("url", LOOPBACK_FORMS)
    def test_non_public_receivers_are_refused(self, hooks: TestClient, url: str) -> None:
        response = _register(hooks, url)

        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["pointer"] == "/url"
        assert "public addresses only" in response.json()["detail"]
        assert hooks.get("/v1/webhooks").json()["count"] == 0

    def test_public_receiver_is_registered_and_never_called_here(self, hooks: TestClient) -> None:
        for url in ("https://hooks.example.com/flrisk", "http://93.184.216.34:8443/in"):
            assert _register(hooks, url).status_code == 201

        assert hooks.get("/v1/webhooks").json()["count"] == 2

    def test_webhooks_per_organisation_are_capped(self, hooks: TestClient) -> None:
        statuses = [_register(hooks, f"https://hooks.example.com/{i}").status_code for i in range(4)]

        assert statuses == [201, 201, 201, 409]


class TestSending:
    def test_dns_rebinding_to_loopback_is_refused_at_send_time(
            self, hooks: TestClient, receiver: Callable[[str], Receiver]) -> None:
        server = receiver("ok")
        port = server.url.rsplit(":", 1)[1].split("/")[0]
        answers = {"rebind.test": "93.184.216.34"}  # public while registering ...
        hooks.app.state.egress = EgressPolicy((), fixed(answers))
        hook_id = _register(hooks, f"http://rebind.test:{port}/hook").json()["id"]
        answers["rebind.test"] = "127.0.0.1"  # ... loopback by the time the event is sent
        loop = _loop(hooks, hooks.app.state.egress)
        try:
            _emit(hooks)
            delivery = _delivery(hooks, hook_id)
        finally:
            loop.stop()

        assert delivery["last_error"] == FAILURE_REFUSED
        assert delivery["last_status_code"] is None
        assert server.requests == []

    def test_the_checked_address_is_the_one_connected_to(
            self, hooks: TestClient, receiver: Callable[[str], Receiver]) -> None:
        server = receiver("ok")
        port = server.url.rsplit(":", 1)[1].split("/")[0]
        allowed = EgressPolicy.from_setting("127.0.0.0/8", fixed({"pinned.test": "127.0.0.1"}))
        hooks.app.state.egress = allowed
        _register(hooks, f"http://pinned.test:{port}/hook")
        loop = _loop(hooks, allowed)
        try:
            _emit(hooks)
            got = server.wait_for(1)
        finally:
            loop.stop()

        assert len(got) == 1
        assert {k.lower(): v for k, v in got[0].headers.items()}["host"] == f"pinned.test:{port}"

    def test_redirects_are_not_followed(self, hooks: TestClient, receiver: Callable[[str], Receiver],
                                        redirecting: Callable[[str], str]) -> None:
        target = receiver("ok")
        allowed = EgressPolicy.from_setting("127.0.0.0/8")
        hooks.app.state.egress = allowed
        hook_id = _register(hooks, redirecting(target.url)).json()["id"]
        loop = _loop(hooks, allowed)
        try:
            _emit(hooks)
            delivery = _delivery(hooks, hook_id)
        finally:
            loop.stop()

        assert delivery["last_status_code"] == 302
        assert delivery["last_error"] == "HTTP 302 (redirects are not followed)"
        assert target.requests == []

    def test_closed_and_silent_ports_look_the_same(self, hooks: TestClient,
                                                   receiver: Callable[[str], Receiver]) -> None:
        silent = receiver("hang")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
        allowed = EgressPolicy.from_setting("127.0.0.0/8")
        hooks.app.state.egress = allowed
        ids = [_register(hooks, url).json()["id"] for url in (closed, silent.url)]
        loop = _loop(hooks, allowed)
        try:
            _emit(hooks)
            deliveries = [_delivery(hooks, hook_id) for hook_id in ids]
        finally:
            loop.stop()

        assert [(d["last_error"], d["last_status_code"]) for d in deliveries] == [(FAILURE_NO_RESPONSE, None)] * 2

