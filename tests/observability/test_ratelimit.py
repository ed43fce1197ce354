from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.observability.ratelimit import RateLimitConfig, TokenBuckets, install_rate_limit
from tests.conftest import add_key

tiny = partial(install_rate_limit, config=RateLimitConfig(enabled=True, rate_per_second=0.01, burst=2))


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TestTokenBuckets:
    def test_burst_then_refill_at_rate(self) -> None:
        clock = FakeClock()
        buckets = TokenBuckets(rate=2.0, burst=2, clock=clock)

        assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
        assert buckets.take("a") == 0.5
        assert buckets.take("b") == 0.0
        clock.now += 0.25
        assert buckets.take("a") == 0.25
        clock.now += 0.25
        assert buckets.take("a") == 0.0
        assert buckets.take("a") == 0.5

    def test_concurrent_takes_never_exceed_burst(self) -> None:
        buckets = TokenBuckets(rate=0.001, burst=50, clock=FakeClock())
        allowed: list[bool] = []

        def hammer() -> None:
            for _ in range(20):
                allowed.append(buckets.take("shared") == 0.0)

        threads = [threading.Thread(target=hammer) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert sum(allowed) == 50

    def test_rejects_nonsense_config(self) -> None:
        with pytest.raises(ValueError, match="rate must be"):
            TokenBuckets(rate=0, burst=1)


class TestRateLimit:
    def test_over_limit_is_429_with_retry_after(self, make_app: Callable[..., FastAPI],
                                                start: Callable[..., TestClient]) -> None:
        client = start(make_app(tiny))
        other = add_key(client, scopes=("read",))

        statuses = [client.get("/v1/lists").status_code for _ in range(2)]
        refused = client.get("/v1/lists")

        assert statuses == [200, 200]
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["Retry-After"] == "100"
        assert refused.json()["type"] == "https://flrisk.dev/problems/rate-limited"
        assert client.get("/v1/lists", headers={"X-API-Key": other}).status_code == 200  # per key

    def test_health_metrics_and_docs_exempt(self, make_app: Callable[..., FastAPI],
                                            start: Callable[..., TestClient]) -> None:
        client = start(make_app(tiny))

        statuses = {path: [client.get(path).status_code for _ in range(5)]
                    for path in ("/health", "/ready", "/openapi.json")}

        assert statuses == {"/health": [200] * 5, "/ready": [200] * 5, "/openapi.json": [200] * 5}

    def test_off_by_default(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient]) -> None:
        app = make_app()
        install_rate_limit(app, RateLimitConfig())
        client = start(app)

        assert app.state.limiter is None
        assert RateLimitConfig().enabled is False
        assert RateLimitConfig().rate_per_second >= 1000
        assert {client.get("/v1/lists").status_code for _ in range(20)} == {200}
