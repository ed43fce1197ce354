"""Signed webhook deliveries to real HTTP servers on 127.0.0.1: success, retries, a receiver that never answers."""

import hashlib
import hmac
import json
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.monitoring.webhooks import DeliveryLoop, enqueue_event, sign, signature_header, verify
from tests.conftest import add_key
from tests.monitoring.conftest import Receiver

SECRET = "whsec_test_0123456789abcdef"


def _hook(client: TestClient, url: str, **headers: str) -> str:
    created = client.post("/v1/webhooks", json={"url": url, "events": ["alert.created"], "secret": SECRET},
                          headers=headers)
    assert created.status_code == 201, created.text
    assert "secret" not in created.json()
    return str(created.json()["id"])


def _emit(client: TestClient, org: str = "default") -> None:
    with Session(client.app.state.engine) as session:
        enqueue_event(session, org, "alert.created", {"id": "a-1", "type": "new_match"})
        session.commit()


def _deliveries(client: TestClient, hook_id: str, status: str, timeout: float = 10.0) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        data = client.get(f"/v1/webhooks/{hook_id}/deliveries").json()["data"]
        if (data and all(d["status"] == status for d in data)) or time.monotonic() > deadline:
            return data
        time.sleep(0.05)


class TestSignature:
    def test_verify_accepts_own_signature_and_refuses_tampering(self) -> None:
        header = signature_header(SECRET, '{"a":1}', timestamp=1_700_000_000)
        expected = hmac.new(SECRET.encode(), b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        assert header == f"t=1700000000,v1={expected}"
        assert sign(SECRET, 1_700_000_000, '{"a":1}') == expected
        assert verify(SECRET, header, '{"a":1}', now=1_700_000_010)
        assert not verify(SECRET, header, '{"a":2}', now=1_700_000_010)
        assert not verify("other-secret-0123456", header, '{"a":1}', now=1_700_000_010)
        assert not verify(SECRET, header, '{"a":1}', now=1_700_001_000)  # too old: a replay
        assert not verify(SECRET, "garbage", '{"a":1}')


class TestDeliveries:
    def test_delivered_signed_and_recorded(self, mclient: TestClient, deliveries: DeliveryLoop,
                                           receiver: Callable[[str], Receiver]) -> None:
        server = receiver("ok")
        hook_id = _hook(mclient, server.url)
        _emit(mclient)
        got = server.wait_for(1)
        assert len(got) == 1
        headers = {k.lower(): v for k, v in got[0].headers.items()}
        assert verify(SECRET, headers["x-flrisk-signature"], got[0].body)
        assert headers["x-flrisk-event"] == "alert.created"
        body = json.loads(got[0].body)
        assert body["event"] == "alert.created"
        assert body["data"] == {"id": "a-1", "type": "new_match"}
        assert headers["x-flrisk-delivery"] == body["id"]
        [delivery] = _deliveries(mclient, hook_id, "succeeded")
        assert delivery["status"] == "succeeded"
        assert delivery["attempts"] == 1
        assert delivery["last_status_code"] == 200
        assert delivery["id"] == body["id"]

    def test_fails_twice_then_succeeds(self, mclient: TestClient, deliveries: DeliveryLoop,
                                       receiver: Callable[[str], Receiver]) -> None:
        server = receiver("fail_twice")
        hook_id = _hook(mclient, server.url)
        _emit(mclient)
        [delivery] = _deliveries(mclient, hook_id, "succeeded")
        assert delivery["status"] == "succeeded", str(delivery)
        assert delivery["attempts"] == 3
        assert delivery["last_status_code"] == 200
        assert len(server.requests) == 3
        assert len({r.body for r in server.requests}) == 1  # the same body every time, freshly signed
        assert all(verify(SECRET, {k.lower(): v for k, v in r.headers.items()}["x-flrisk-signature"], r.body)
                   for r in server.requests)

    def test_never_answering_receiver_fails_after_bounded_attempts(
            self, mclient: TestClient, deliveries: DeliveryLoop, receiver: Callable[[str], Receiver]) -> None:
        server = receiver("hang")
        hook_id = _hook(mclient, server.url)
        _emit(mclient)
        [delivery] = _deliveries(mclient, hook_id, "failed", timeout=15)
        assert delivery["status"] == "failed"
        assert delivery["attempts"] == deliveries.policy.max_attempts == 3
        assert delivery["last_status_code"] is None
        assert delivery["last_error"] == "no HTTP response from the receiver"  # no network detail for tenants
        assert delivery["finished_at"] is not None
        assert len(server.requests) == 3

    def test_deleted_webhook_gets_nothing(self, mclient: TestClient, deliveries: DeliveryLoop,
                                          receiver: Callable[[str], Receiver]) -> None:
        server = receiver("ok")
        hook_id = _hook(mclient, server.url)
        assert mclient.delete(f"/v1/webhooks/{hook_id}").status_code == 200
        _emit(mclient)
        time.sleep(0.3)
        assert server.requests == []
        assert mclient.get("/v1/webhooks").json()["count"] == 0


class TestWebhookApi:
    def test_invalid_url_and_short_secret_are_422(self, mclient: TestClient) -> None:
        response = mclient.post("/v1/webhooks", json={"url": "ftp://x", "events": ["alert.created"], "secret": "s"})
        assert response.status_code == 422
        assert {e["pointer"] for e in response.json()["errors"]} == {"/url", "/secret"}

    def test_other_organisation_sees_nothing(self, mclient: TestClient) -> None:
        hook_id = _hook(mclient, "http://127.0.0.1:9/hook")
        other = {"X-API-Key": add_key(mclient, org="acme")}
        assert mclient.get("/v1/webhooks", headers=other).json()["count"] == 0
        assert mclient.get(f"/v1/webhooks/{hook_id}/deliveries", headers=other).status_code == 404
        assert mclient.delete(f"/v1/webhooks/{hook_id}", headers=other).status_code == 404

    def test_create_and_delete_are_audited(self, mclient: TestClient) -> None:
        hook_id = _hook(mclient, "http://127.0.0.1:9/hook")
        mclient.delete(f"/v1/webhooks/{hook_id}")
        events = [e for e in mclient.get("/v1/audit").json()["data"] if e["subject"] == hook_id]
        assert [e["type"] for e in events] == ["webhook.created", "webhook.deleted"]
