"""A short-lived, per-process cache of verified API keys.

Checking a key costs a database round trip (plus a pooled connection) on every request; at a few
hundred screenings per second that is a large share of the work. Verified keys are therefore kept
for `ttl` seconds, keyed by their HMAC (the key itself is never held), with what the check needs:
organisation, scopes, expiry. Expiry is still checked on every request. Revocation through the API
clears the cache of the process that handled it at once; other processes and replicas (and a
revocation with `flrisk keys revoke`) see it within `ttl` seconds. Unknown, revoked and expired
keys are never cached, so a new key works at once. `forget_verified_keys()` (called by
`revoke_key`, also after its commit) empties every cache of this process.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

KEY_CACHE_SECONDS = 5.0
MAX_KEYS = 10_000


@dataclass(frozen=True)
class CachedKey:
    key_id: str
    org_id: str
    scopes: frozenset[str]
    name: str
    expires_at: datetime | None


class KeyCache:
    """Thread-safe; entries expire `ttl` seconds after they were verified against the database."""

    def __init__(self, ttl: float = KEY_CACHE_SECONDS, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_keys, self.clock = ttl, max_keys, clock
        self._entries: OrderedDict[str, tuple[float, CachedKey]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key_hash: str) -> CachedKey | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            found = self._entries.get(key_hash)
            if found is None:
                return None
            if self.clock() >= found[0]:
                del self._entries[key_hash]
                return None
            return found[1]

    def put(self, key_hash: str, key: CachedKey) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[key_hash] = (self.clock() + self.ttl, key)
            self._entries.move_to_end(key_hash)
            while len(self._entries) > self.max_keys:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHES: weakref.WeakSet[KeyCache] = weakref.WeakSet()


def track(cache: KeyCache) -> KeyCache:
    """Register a cache so that `forget_verified_keys` reaches it."""
    _CACHES.add(cache)
    return cache


def forget_verified_keys() -> None:
    """Empty every key cache of this process: a revocation takes effect here at once."""
    for cache in list(_CACHES):
        cache.clear()
