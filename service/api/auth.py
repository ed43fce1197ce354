"""API-key authentication and scopes. Every route except /health, /ready and the docs depends on this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from service.api.deps import EngineDep
from service.api.errors import ApiError
from service.auth.keys import matches, prefix_of
from service.store import auth_repo
from service.store.tables import utcnow

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
    raw = header or (bearer.credentials if bearer else None)
    if not raw:
        raise UnauthorizedError("an API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`")
    prefix = prefix_of(raw.strip())
    with Session(engine) as session:
        row = auth_repo.key_by_prefix(session, prefix) if prefix else None
    secret: bytes = request.app.state.secret
    if row is None or not matches(secret, raw.strip(), row.key_hash):
        raise UnauthorizedError("unknown API key")
    if row.revoked_at is not None:
        raise UnauthorizedError("this API key was revoked")
    if row.expires_at is not None and _aware(row.expires_at) <= utcnow():
        raise UnauthorizedError("this API key has expired")
    principal = Principal(key_id=row.id, org_id=row.org_id, scopes=frozenset(row.scopes), name=row.name)
    request.state.principal = principal  # for logs, rate limits and audit
    return principal


def _aware(value: Any) -> Any:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def require(scope: str) -> Callable[..., Principal]:
    def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
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
