"""Rate limiting, in memory, per process: per verified API key, and failed authentication per client address.

The limiter is applied by the authentication itself (`service.api.auth`, the console's login and session),
after the key is verified, never to a value the client merely claims: a random `Authorization` header next
to a valid `X-API-Key` is charged to the valid key, and knowing a key's public prefix lets nobody exhaust
that key's allowance. Requests whose key is missing or wrong are charged to the client's address; once that
address has used its allowance of failures, its unverified keys are answered 429 without a database lookup
(keys it verified in the last seconds still pass). Over a limit: 429 problem+json with `Retry-After`.
Probes, metrics and docs do not authenticate and are never limited.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request

from service.api.errors import ApiError

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc",
                          "/openapi.json"})
MAX_BUCKETS = 100_000  # idle buckets beyond this are dropped oldest-first; a dropped bucket was full anyway


@dataclass(frozen=True)
class RateLimitConfig:
    enabled: bool = False
    rate_per_second: float = 1000.0
    burst: int = 2000
    failed_auth_per_second: float = 1.0
    failed_auth_burst: int = 30


class RateLimitedError(ApiError):
    status, slug, title = 429, "rate-limited", "Too many requests"


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
        return self._update(key, spend=True)

    def wait(self, key: str) -> float:
        """The seconds until `key` has a token again (0: it has one now), without spending it."""
        return self._update(key, spend=False)

    def _update(self, key: str, *, spend: bool) -> float:
        with self._lock:
            now = self.clock()
            tokens, updated = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0 and spend else tokens, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._buckets.popitem(last=False)
            return wait


class AuthLimiter:
    """The two sets of buckets of one app: verified key ids, and client addresses that failed to authenticate."""

    def __init__(self, config: RateLimitConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.keys = TokenBuckets(config.rate_per_second, config.burst, clock)
        self.failures = TokenBuckets(config.failed_auth_per_second, config.failed_auth_burst, clock)

    def charge_key(self, key_id: str) -> None:
        _refuse(self.keys.take(key_id), f"rate limit of {self.keys.rate:g} requests/s (burst {self.keys.burst}) "
                                        "for this API key exceeded")

    def charge_failure(self, address: str) -> None:
        _refuse(self.failures.take(address), _FAILURES)

    def check_address(self, address: str) -> None:
        """Before a database lookup of an unverified key: refuse an address that has used up its failures."""
        _refuse(self.failures.wait(address), _FAILURES)


_FAILURES = "too many requests with a missing or invalid API key from this address"


def _refuse(wait: float, what: str) -> None:
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise RateLimitedError(f"{what}; retry in {retry} s", headers={"Retry-After": str(retry)})


def limiter(request: Request) -> AuthLimiter | None:
    found: AuthLimiter | None = getattr(request.app.state, "limiter", None)
    return found


def client_address(request: Request) -> str:
    """The peer address (uvicorn puts the real client here behind a trusted proxy, see --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def install_rate_limit(app: FastAPI, config: RateLimitConfig) -> None:
    """One limiter per app and process when enabled; none (nothing limited) otherwise."""
    app.state.limiter = AuthLimiter(config) if config.enabled else None
