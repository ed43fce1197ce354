"""The per-process cache of verified API keys: fast, but a revocation still bites within seconds."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from service.api.auth import key_cache
from service.auth.cache import KEY_CACHE_SECONDS, CachedKey, KeyCache
from service.services.keys import revoke_key
from service.timestamps import utcnow
from tests.conftest import add_key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cached(key_id: str = "k1") -> CachedKey:
    return CachedKey(key_id=key_id, org_id="default", scopes=frozenset({"read"}), name="t", expires_at=None)


class TestKeyCache:
    def test_entries_expire_after_ttl(self) -> None:
        clock = FakeClock()
        cache = KeyCache(ttl=5, clock=clock)
        cache.put("h", cached())
        clock.now += 4.9
        assert cache.get("h") == cached()
        clock.now += 0.2
        assert cache.get("h") is None

    def test_oldest_dropped_beyond_capacity(self) -> None:
        cache = KeyCache(ttl=5, max_keys=2)
        for h in ("a", "b", "c"):
            cache.put(h, cached(h))
        assert cache.get("a") is None
        assert cache.get("c") == cached("c")

    def test_ttl_zero_disables(self) -> None:
        cache = KeyCache(ttl=0)
        cache.put("h", cached())
        assert cache.get("h") is None


def _key_id(client: TestClient, key: str) -> str:
    prefix = key.split("_")[1]
    return next(k["id"] for k in client.get("/v1/keys").json()["data"] if k["prefix"] == prefix)


def test_revocation_in_this_process_takes_effect_at_once(client: TestClient) -> None:
    """`flrisk keys revoke` and the console call `revoke_key`; the API's DELETE too."""
    key = add_key(client, scopes=("read",))
    assert client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 200  # now cached
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        revoke_key(session, _key_id(client, key), org_id=None, actor="test")
        session.commit()
    response = client.get("/v1/lists", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_revocation_by_another_process_takes_effect_within_the_ttl(client: TestClient) -> None:
    key = add_key(client, scopes=("read",))
    clock = FakeClock()
    key_cache(client.app).clock = clock
    assert client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 200
    with client.app.state.engine.begin() as conn:  # type: ignore[attr-defined]  # as another replica would
        conn.execute(text("UPDATE api_key SET revoked_at = :now WHERE id = :id"),
                     {"now": utcnow(), "id": _key_id(client, key)})
    assert client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 200  # still cached
    clock.now += KEY_CACHE_SECONDS
    assert client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 401


def test_expiry_is_checked_on_every_request_even_when_cached(client: TestClient) -> None:
    soon = utcnow() + timedelta(seconds=1)
    created = client.post("/v1/keys", json={"name": "short", "scopes": ["read"], "expires_at": soon.isoformat()})
    key = created.json()["key"]
    assert client.get("/v1/lists", headers={"X-API-Key": key}).status_code == 200  # verified and cached
    time.sleep(max(0.0, (soon - utcnow()).total_seconds()) + 0.05)
    response = client.get("/v1/lists", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_unknown_keys_are_never_cached(anonymous_client: TestClient, header: str) -> None:
    bogus = "flr_abcdefghij_notarealsecret"
    value = bogus if header == "X-API-Key" else f"Bearer {bogus}"
    for _ in range(2):
        assert anonymous_client.get("/v1/lists", headers={header: value}).status_code == 401
    assert not key_cache(anonymous_client.app)._entries
