"""Every route is protected: no key -> 401, wrong scope -> 403, another organisation's id -> 404."""

import pytest
from fastapi.testclient import TestClient

from service.auth.keys import SCOPES
from tests.conftest import add_key
from tests.factories import record
from tests.routes import api_routes

PUBLIC = {"/health", "/ready", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
OPERATOR = {"/metrics"}  # the operator's token, never an API key: tests/security/test_metrics_access.py
# The scope each protected route needs. A new route must be added here, or test_every_route_is_listed fails.
SCOPE = {
    ("GET", "/v1/lists"): "read", ("GET", "/v1/lists/{source}/versions"): "read",
    ("GET", "/v1/lists/{source}/changes"): "read", ("GET", "/v1/lists/{source}/entries"): "read",
    ("GET", "/v1/lists/{source}/entries/{entry_id}"): "read",
    ("POST", "/v1/match"): "screen", ("POST", "/v1/match:batch"): "screen", ("POST", "/v1/compare"): "screen",
    ("POST", "/v1/screenings"): "screen", ("POST", "/v1/screenings:batch"): "screen",
    ("GET", "/v1/screenings"): "read", ("GET", "/v1/screenings/{screening_id}"): "read",
    ("POST", "/v1/batches"): "screen", ("GET", "/v1/batches"): "read", ("GET", "/v1/batches/{batch_id}"): "read",
    ("GET", "/v1/batches/{batch_id}/results"): "read", ("GET", "/v1/batches/{batch_id}/findings"): "read",
    ("POST", "/v1/keys"): "admin", ("GET", "/v1/keys"): "admin", ("DELETE", "/v1/keys/{key_id}"): "admin",
    ("GET", "/v1/audit"): "admin",
    ("GET", "/v1/screenings/{screening_id}/report"): "read", ("GET", "/v1/batches/{batch_id}/report"): "read",
    ("POST", "/v1/decisions"): "decide", ("GET", "/v1/decisions"): "read",
    ("GET", "/v1/decisions/{decision_id}"): "read", ("DELETE", "/v1/decisions/{decision_id}"): "decide",
    ("POST", "/v1/suppliers"): "admin", ("GET", "/v1/suppliers"): "read",
    ("GET", "/v1/suppliers/{supplier_id}"): "read", ("DELETE", "/v1/suppliers/{supplier_id}"): "admin",
    ("GET", "/v1/alerts"): "read", ("GET", "/v1/alerts/{alert_id}"): "read",
    ("POST", "/v1/alerts/{alert_id}/acknowledge"): "decide",
    ("POST", "/v1/webhooks"): "admin", ("GET", "/v1/webhooks"): "admin",
    ("DELETE", "/v1/webhooks/{webhook_id}"): "admin",
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): "read",
    ("GET", "/v1/relations"): "read", ("GET", "/v1/lists/{source}/entries/{entry_id}/relations"): "read",
    ("GET", "/v1/relations/status"): "read", ("GET", "/v1/relations/{source}/versions"): "read",
}


def protected_routes(client: TestClient) -> list[tuple[str, str]]:
    """The console (/ui) signs in with a cookie and redirects instead of 401: tests/ui covers it."""
    found = sorted((method, path) for route, path in api_routes(client.app.routes) for method in route.methods
                   if path not in PUBLIC | OPERATOR and not path.startswith("/ui"))
    assert len(found) >= len(SCOPE), "routes were not found: the walk over the app's routers is broken"
    return found


def call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    url = path.replace("{", "").replace("}", "")  # any id: auth is checked before the id is looked up
    return client.request(method, url, headers=headers, json={} if method in ("POST", "PUT") else None).status_code


def test_every_route_is_listed(anonymous_client: TestClient) -> None:
    assert [r for r in protected_routes(anonymous_client) if r not in SCOPE] == []


def test_no_key_is_401_problem_json(anonymous_client: TestClient) -> None:
    for method, path in protected_routes(anonymous_client):
        url = path.replace("{", "").replace("}", "")
        response = anonymous_client.request(method, url, json={} if method == "POST" else None)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_unknown_key_is_401(anonymous_client: TestClient, header: str) -> None:
    value = "flr_abcdefghij_not-a-real-key"
    value = f"Bearer {value}" if header == "Authorization" else value
    response = anonymous_client.get("/v1/lists", headers={header: value})
    assert response.status_code == 401
    assert response.json()["detail"] == "unknown API key"


def test_missing_scope_is_403(anonymous_client: TestClient) -> None:
    keys = {scope: add_key(anonymous_client, scopes=tuple(s for s in SCOPES if s != scope)) for scope in SCOPES}
    for method, path in protected_routes(anonymous_client):
        status = call(anonymous_client, method, path, {"X-API-Key": keys[SCOPE[(method, path)]]})
        assert status == 403, (method, path)


def test_bearer_and_header_both_work(anonymous_client: TestClient) -> None:
    key = add_key(anonymous_client, scopes=("read",))
    assert anonymous_client.get("/v1/lists", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert anonymous_client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 200


def test_revoked_key_is_401(client: TestClient) -> None:
    key = add_key(client, scopes=("read",))
    key_id = next(k["id"] for k in client.get("/v1/keys").json()["data"] if key.split("_")[1] == k["prefix"])
    assert client.delete(f"/v1/keys/{key_id}").status_code == 200
    response = client.get("/v1/lists", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_expired_key_is_401(client: TestClient) -> None:
    created = client.post("/v1/keys", json={"name": "old", "scopes": ["read"],
                                            "expires_at": "2020-01-01T00:00:00Z"}).json()
    response = client.get("/v1/lists", headers={"X-API-Key": created["key"]})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


class TestTenancy:
    def test_other_organisation_cannot_read_screening(self, client: TestClient) -> None:
        created = client.post("/v1/screenings", json=record(reference="A-secret")).json()
        other = {"X-API-Key": add_key(client, org="acme")}
        assert client.get(f"/v1/screenings/{created['id']}", headers=other).status_code == 404
        assert client.get("/v1/screenings", headers=other).json()["count"] == 0
        assert client.get(f"/v1/screenings/{created['id']}").status_code == 200

    def test_other_organisation_cannot_read_batch(self, client: TestClient) -> None:
        created = client.post("/v1/batches", files={"file": ("v.csv", b"Vendor Name\nACME Ltd\n")}).json()
        other = {"X-API-Key": add_key(client, org="acme")}
        for suffix in ("", "/results", "/findings"):
            assert client.get(f"/v1/batches/{created['id']}{suffix}", headers=other).status_code == 404

    def test_idempotency_keys_are_per_organisation(self, client: TestClient) -> None:
        first = client.post("/v1/screenings", json=record(), headers={"Idempotency-Key": "same"}).json()
        other = {"X-API-Key": add_key(client, org="acme"), "Idempotency-Key": "same"}
        second = client.post("/v1/screenings", json=record(), headers=other).json()
        assert second["id"] != first["id"]


class TestAudit:
    def test_actions_write_audit_events(self, client: TestClient) -> None:
        created = client.post("/v1/screenings", json=record()).json()
        client.post("/v1/keys", json={"name": "ERP", "scopes": ["screen"]})
        events = client.get("/v1/audit").json()["data"]
        types = [e["type"] for e in events]
        assert {"list.updated", "key.created", "screening.created"} <= set(types)
        screening = next(e for e in events if e["type"] == "screening.created")
        assert screening["subject"] == created["id"]
        assert len(screening["request_hash"]) == 64
        assert screening["list_versions"] == created["list_versions"]

    def test_audit_filter_by_type(self, client: TestClient) -> None:
        client.post("/v1/screenings", json=record())
        events = client.get("/v1/audit", params={"type": "screening.created"}).json()["data"]
        assert {e["type"] for e in events} == {"screening.created"}
