"""Administration: API keys of the caller's organisation, and its audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from service.api.auth import AUTH_RESPONSES, AdminKey
from service.api.deps import Offset, SessionDep
from service.api.errors import NotFoundError, UnprocessableError
from service.api.text import DateTimeText
from service.auth.keys import SCOPES
from service.services.keys import KeyError_, create_key, revoke_key
from service.store import auth_repo
from service.store.tables import ApiKeyRow

Scope = Literal["screen", "read", "decide", "admin"]
assert set(get_args(Scope)) == set(SCOPES), "Scope must list service.auth.keys.SCOPES"
router = APIRouter(prefix="/v1", tags=["admin"], responses=AUTH_RESPONSES)


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["ERP"])
    scopes: list[Scope] = Field(min_length=1, examples=[["screen", "read"]])
    expires_at: DateTimeText | None = None


class KeyPublic(BaseModel):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    org: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    key: str = Field(description="The key itself: shown once, stored only as a keyed hash.")


class KeysPage(BaseModel):
    data: list[KeyPublic]
    count: int


class AuditEvent(BaseModel):
    id: int
    actor: str
    type: str
    subject: str | None
    at: datetime
    request_hash: str | None
    list_versions: dict[str, str]
    details: dict[str, Any]


class AuditPage(BaseModel):
    data: list[AuditEvent]
    count: int = Field(description="Events matching the filters, across all pages.")
    limit: int
    offset: int


@router.post("/keys", status_code=201, summary="Create an API key for this organisation", response_model=KeyCreated,
             responses=UnprocessableError.response_doc())
def create(body: KeyCreate, principal: AdminKey, session: SessionDep, request: Request) -> KeyCreated:
    try:
        created = create_key(session, request.app.state.secret, name=body.name, scopes=body.scopes,
                             org_id=principal.org_id, expires_at=body.expires_at, actor=principal.actor)
    except KeyError_ as exc:
        raise UnprocessableError(str(exc)) from exc
    return KeyCreated(**_key(created.row).model_dump(), key=created.key)


@router.get("/keys", summary="API keys of this organisation (prefixes only)", response_model=KeysPage)
def list_keys(principal: AdminKey, session: SessionDep) -> KeysPage:
    keys = [_key(r) for r in auth_repo.keys_of(session, principal.org_id)]
    return KeysPage(data=keys, count=len(keys))


@router.delete("/keys/{key_id}", summary="Revoke an API key", response_model=KeyPublic,
               responses=NotFoundError.response_doc())
def revoke(key_id: str, principal: AdminKey, session: SessionDep) -> KeyPublic:
    try:
        return _key(revoke_key(session, key_id, org_id=principal.org_id, actor=principal.actor))
    except KeyError_ as exc:
        raise NotFoundError(str(exc)) from exc


@router.get("/audit", summary="The organisation's append-only audit trail", response_model=AuditPage)
def audit(
    principal: AdminKey,
    session: SessionDep,
    since: Annotated[DateTimeText | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=40, examples=["screening.created"])] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> AuditPage:
    rows = auth_repo.events(session, org_id=principal.org_id, since=since, type=type, limit=limit, offset=offset)
    total = auth_repo.count_events(session, org_id=principal.org_id, since=since, type=type)
    return AuditPage(data=[AuditEvent.model_validate(r, from_attributes=True) for r in rows], count=total,
                     limit=limit, offset=offset)


def _key(row: ApiKeyRow) -> KeyPublic:
    return KeyPublic(id=row.id, name=row.name, prefix=row.prefix, scopes=row.scopes, org=row.org_id,
                     created_at=row.created_at, expires_at=row.expires_at, revoked_at=row.revoked_at)
