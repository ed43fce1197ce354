"""Per-API-key token-bucket rate limiting, in memory, per process.

The bucket key is the first 16 characters of the `Authorization: Bearer` or `X-API-Key` value
(the key's public prefix once keys have one), else the client IP. Over the limit: 429
problem+json with `Retry-After`. Probes, metrics and docs are never limited.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.errors import problem_response
from service.observability.middleware import set_middleware

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc",
                          "/openapi.json"})
KEY_CHARS = 16
MAX_BUCKETS = 100_000  # idle buckets beyond this are dropped oldest-first; a dropped bucket was full anyway


@dataclass(frozen=True)
class RateLimitConfig:
    enabled: bool = False
    rate_per_second: float = 1000.0
    burst: int = 2000


class TokenBuckets:
    """Thread-safe; O(1) per call (one dict lookup and move under a lock)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, updated)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token; return 0 when allowed, else the seconds until a token is available."""
        with self._lock:
            now = self.clock()
            tokens, updated = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._buckets.popitem(last=False)
            return wait


def bucket_key(scope: Scope) -> str:
    headers = dict(scope.get("headers", ()))
    auth: str = headers.get(b"authorization", b"").decode("latin-1")
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        return "key:" + auth[7:].strip()[:KEY_CHARS]
    api_key: str = headers.get(b"x-api-key", b"").decode("latin-1").strip()
    if api_key:
        return "key:" + api_key[:KEY_CHARS]
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    layer = 2

    def __init__(self, app: ASGIApp, buckets: TokenBuckets) -> None:
        self.app, self.buckets = app, buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in EXEMPT_PATHS:
            wait = self.buckets.take(bucket_key(scope))
            if wait > 0:
                retry = max(1, math.ceil(wait))
                response = problem_response(429, "rate-limited", "Too many requests",
                                            f"rate limit of {self.buckets.rate:g} requests/s (burst "
                                            f"{self.buckets.burst}) exceeded; retry in {retry} s",
                                            headers={"Retry-After": str(retry)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install_rate_limit(app: FastAPI, config: RateLimitConfig) -> None:
    """No-op when disabled (removing one installed earlier); otherwise one set of buckets per app and process."""
    if config.enabled:
        set_middleware(app, RateLimitMiddleware, buckets=TokenBuckets(config.rate_per_second, config.burst))
    else:
        app.user_middleware[:] = [m for m in app.user_middleware if m.cls is not RateLimitMiddleware]  # type: ignore[comparison-overlap]
