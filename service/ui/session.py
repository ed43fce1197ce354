"""Console sessions: an HMAC-signed, HttpOnly cookie naming a session row, which names the API key.

The cookie carries the key's id, a random nonce and an expiry, never the key itself: a leaked cookie is
not an API key. The nonce identifies a `console_session` row (stored as its SHA-256): logging out, or
revoking the key, revokes the row, so a copy of the cookie is worthless from then on, as is its CSRF token.
Every console request re-reads the session and key rows (one query), so this takes effect at once. Forms
carry a CSRF token derived from the nonce; the cookie is SameSite=Lax on top of that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.api.auth import Principal, authenticate
from service.api.deps import EngineDep
from service.observability.ratelimit import limiter
from service.store import auth_repo
from service.store.tables import ConsoleSessionRow, as_utc, utcnow

COOKIE = "flrisk_console"
MAX_AGE = 8 * 3600  # one working day; the key is re-checked on every request anyway
PREFIX = "/ui"


class LoginRequiredError(Exception):
    """No valid console session: the handler redirects to the login page."""

    def __init__(self, next_path: str, reason: str | None = None) -> None:
        super().__init__(reason or "login required")
        self.next_path, self.reason = next_path, reason


class ConsoleForbiddenError(Exception):
    """A logged-in key that may not do this (missing scope, failed CSRF check): a 403 page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ConsoleUser:
    principal: Principal
    csrf: str
    nonce: str  # names the session row (see `session_id`)

    def can(self, scope: str) -> bool:
        return scope in self.principal.scopes


def _signing_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"flrisk console session v1", hashlib.sha256).digest()


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(_signing_key(secret), payload, hashlib.sha256).hexdigest()


def issue(secret: bytes, key_id: str, *, nonce: str | None = None, now: float | None = None) -> str:
    """A cookie value for `key_id`: base64url(JSON payload) + "." + HMAC-SHA256 hex."""
    payload = {"k": key_id, "n": nonce or secrets.token_urlsafe(32),
               "x": int((time.time() if now is None else now) + MAX_AGE)}
    raw = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{raw}.{_sign(secret, raw.encode())}"


def read(secret: bytes, value: str | None, *, now: float | None = None) -> dict[str, Any] | None:
    """The payload of a cookie this server signed and that has not expired, else None."""
    if not value or value.count(".") != 1:
        return None
    raw, signature = value.split(".")
    if not hmac.compare_digest(_sign(secret, raw.encode()), signature):
        return None
    try:
        payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        return None
    if not isinstance(payload, dict) or int(payload.get("x", 0)) <= (time.time() if now is None else now):
        return None
    return payload


def csrf_token(secret: bytes, nonce: str) -> str:
    return hmac.new(_signing_key(secret), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()[:40]


def set_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, path=PREFIX, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="lax", secure=request.url.scheme == "https")


def session_id(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def start_session(engine: Engine, secret: bytes, key_id: str) -> str:
    """Store a new session for `key_id`; the cookie value that names it."""
    nonce = secrets.token_urlsafe(32)
    with Session(engine) as session:
        auth_repo.add_console_session(session, ConsoleSessionRow(
            id=session_id(nonce), key_id=key_id, expires_at=utcnow() + timedelta(seconds=MAX_AGE)))
        session.commit()
    return issue(secret, key_id, nonce=nonce)


def end_session(engine: Engine, nonce: str) -> None:
    with Session(engine) as session:
        auth_repo.end_console_sessions(session, session_id=session_id(nonce))
        session.commit()


def check_key(request: Request, engine: EngineDep, raw_key: str) -> Principal:
    """The login check: exactly the API's own key check (raises the API's UnauthorizedError)."""
    return authenticate(request, engine, header=raw_key)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def current_user(request: Request, engine: EngineDep) -> ConsoleUser:
    """The dependency of every console page: a valid cookie for a key that is still valid."""
    secret: bytes = request.app.state.secret
    payload = read(secret, request.cookies.get(COOKIE))
    if payload is None:
        raise LoginRequiredError(_here(request), "your session expired; log in again"
                                 if request.cookies.get(COOKIE) else None)
    with Session(engine) as session:
        found = auth_repo.console_session(session, session_id(str(payload.get("n"))))
    login, row = found if found else (None, None)
    reason = ("your session ended; log in again" if login is None or row is None or login.key_id != payload.get("k")
              else "this API key was revoked" if row.revoked_at is not None
              else "this API key has expired" if row.expires_at is not None and as_utc(row.expires_at) <= utcnow()
              else "your session ended; log in again" if login.revoked_at is not None
              or as_utc(login.expires_at) <= utcnow()
              else None)
    if row is None or reason:
        raise LoginRequiredError(_here(request), reason)
    principal = Principal(key_id=row.id, org_id=row.org_id, scopes=frozenset(row.scopes), name=row.name)
    request.state.principal = principal  # for logs, rate limits and audit, as the API does
    found_limiter = limiter(request)
    if found_limiter is not None:
        found_limiter.charge_key(row.id)
    return ConsoleUser(principal=principal, csrf=csrf_token(secret, str(payload.get("n"))), nonce=str(payload["n"]))


def require(scope: str) -> Callable[..., ConsoleUser]:
    def dependency(user: Annotated[ConsoleUser, Depends(current_user)]) -> ConsoleUser:
        if not user.can(scope):
            raise ConsoleForbiddenError(f"Your API key “{user.principal.name}” does not have the “{scope}” scope "
                                        f"(it has: {', '.join(sorted(user.principal.scopes))}). Ask an administrator "
                                        "for a key with that scope.")
        return user

    dependency.__name__ = f"console_require_{scope}"
    return dependency


def check_csrf(request: Request, user: ConsoleUser, token: str | None) -> None:
    """A state-changing form must carry the session's token and, when the browser says, come from this site."""
    supplied = token or request.headers.get("x-csrf-token") or ""
    if not hmac.compare_digest(supplied.encode(), user.csrf.encode()):
        raise ConsoleForbiddenError("The form expired or did not come from this console. "
                                    "Reload the page and try again.")
    check_origin(request)


def check_origin(request: Request) -> None:
    """A cross-site form cannot set request headers, so the Host (or a proxy's X-Forwarded-Host) is trusted here."""
    origin = request.headers.get("origin")
    hosts = {request.headers.get("host", ""), *request.headers.get("x-forwarded-host", "").split(",")}
    if origin and urlsplit(origin).netloc not in {h.strip() for h in hosts if h.strip()}:
        raise ConsoleForbiddenError("The form was sent from another site; it was refused.")


ConsoleUserDep = Annotated[ConsoleUser, Depends(current_user)]
ReadUser = Annotated[ConsoleUser, Depends(require("read"))]
ScreenUser = Annotated[ConsoleUser, Depends(require("screen"))]
DecideUser = Annotated[ConsoleUser, Depends(require("decide"))]
AdminUser = Annotated[ConsoleUser, Depends(require("admin"))]
