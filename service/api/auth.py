"""API-key authentication and scopes. Every route except /health, /ready and the docs depends on this."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.api.deps import EngineDep
from service.api.errors import ApiError
from service.auth.cache import CachedKey, KeyCache, track
from service.auth.keys import hash_key, prefix_of
from service.observability.ratelimit import client_address, limiter
from service.store import auth_repo
from service.store.tables import as_utc, utcnow

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


class UnauthorizedError(ApiError):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="flrisk"'})


class ForbiddenError(ApiError):
    status, slug, title = 403, "forbidden", "API key lacks the scope"


@dataclass(frozen=True)
class Principal:
    key_id: str
    org_id: str
    scopes: frozenset[str]
    name: str

    @property
    def actor(self) -> str:
        return f"key:{self.key_id}"


def authenticate(request: Request, engine: EngineDep,
                 bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
                 header: Annotated[str | None, Security(_header)] = None) -> Principal:
    """The key check (blocking: may query the database). Also used by the console's login."""
    with _limited(request) as check:
        raw = _raw_key(bearer, header)
        key_hash = hash_key(request.app.state.secret, raw)
        cache = key_cache(request.app)
        known = cache.get(key_hash)
        if known is None:
            check()
            known = _verify(engine, raw, key_hash)
            cache.put(key_hash, known)
        return _principal(request, known)


async def authenticate_request(request: Request,
                               bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
                               header: Annotated[str | None, Security(_header)] = None) -> Principal:
    """The dependency behind every scope: a key verified in the last few seconds is answered on the event
    loop (no thread hop, no database round trip); otherwise the key is looked up in the thread pool."""
    with _limited(request) as check:
        raw = _raw_key(bearer, header)
        key_hash = hash_key(request.app.state.secret, raw)
        cache = key_cache(request.app)
        known = cache.get(key_hash)
        if known is None:
            check()
            known = await run_in_threadpool(_verify, request.app.state.engine, raw, key_hash)
            cache.put(key_hash, known)
        return _principal(request, known)


@contextmanager
def _limited(request: Request) -> Iterator[Callable[[], None]]:
    """Rate limits around a key check (see `service.observability.ratelimit`): a failure is charged to the
    client's address, a verified key to its id. Yields the check to make before a database lookup."""
    found, address = limiter(request), client_address(request)
    try:
        yield (lambda: found.check_address(address)) if found else (lambda: None)
    except UnauthorizedError:
        if found:
            found.charge_failure(address)
        raise
    principal: Principal | None = getattr(request.state, "principal", None)
    if found and principal is not None:
        found.charge_key(principal.key_id)


def _raw_key(bearer: HTTPAuthorizationCredentials | None, header: str | None) -> str:
    bearer_key = (bearer.credentials if bearer else "").strip()
    header_key = (header or "").strip()
    if bearer_key and header_key and not hmac.compare_digest(bearer_key, header_key):
        raise UnauthorizedError("two different API keys sent (`Authorization` and `X-API-Key`); send one")
    raw = header_key or bearer_key
    if not raw:
        raise UnauthorizedError("an API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`")
    return raw


def _verify(engine: Engine, raw: str, key_hash: str) -> CachedKey:
    prefix = prefix_of(raw)
    with Session(engine) as session:
        row = auth_repo.key_by_prefix(session, prefix) if prefix else None
    if row is None or not hmac.compare_digest(key_hash, row.key_hash):
        raise UnauthorizedError("unknown API key")
    if row.revoked_at is not None:
        raise UnauthorizedError("this API key was revoked")
    return CachedKey(key_id=row.id, org_id=row.org_id, scopes=frozenset(row.scopes), name=row.name,
                     expires_at=row.expires_at)


def _principal(request: Request, known: CachedKey) -> Principal:
    if known.expires_at is not None and as_utc(known.expires_at) <= utcnow():
        raise UnauthorizedError("this API key has expired")
    principal = Principal(key_id=known.key_id, org_id=known.org_id, scopes=known.scopes, name=known.name)
    request.state.principal = principal  # for logs, rate limits and audit
    return principal


_CACHE_LOCK = threading.Lock()


def key_cache(app: Any) -> KeyCache:
    """This app's cache of verified keys (see `service.auth.cache`), made on first use."""
    cache: KeyCache | None = getattr(app.state, "key_cache", None)
    if cache is None:
        with _CACHE_LOCK:
            cache = getattr(app.state, "key_cache", None)
            if cache is None:
                cache = app.state.key_cache = KeyCache()
                track(cache)
    return cache


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    async def dependency(principal: Annotated[Principal, Depends(authenticate_request)]) -> Principal:
        if scope not in principal.scopes:
            raise ForbiddenError(f"this API key lacks the {scope!r} scope (has: {', '.join(sorted(principal.scopes))})")
        return principal

    dependency.__name__ = f"require_{scope}"
    return dependency


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {**UnauthorizedError.response_doc(), **ForbiddenError.response_doc()}
ScreenKey = Annotated[Principal, Depends(require("screen"))]
ReadKey = Annotated[Principal, Depends(require("read"))]
DecideKey = Annotated[Principal, Depends(require("decide"))]
AdminKey = Annotated[Principal, Depends(require("admin"))]
