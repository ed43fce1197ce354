"""Creating and revoking API keys (CLI and admin API)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlmodel import Session

from service.auth.cache import forget_verified_keys
from service.auth.keys import SCOPES, new_key
from service.store import auth_repo
from service.store.tables import DEFAULT_ORG, ApiKeyRow, utcnow


class KeyError_(ValueError):
    """A key request that cannot be honoured (unknown scope, unknown key)."""


@dataclass(frozen=True)
class CreatedKey:
    row: ApiKeyRow
    key: str  # shown once, never stored


def create_key(session: Session, secret: bytes, *, name: str, scopes: Sequence[str], org_id: str = DEFAULT_ORG,
               expires_at: datetime | None = None, actor: str = "cli") -> CreatedKey:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise KeyError_(f"scopes must be among {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}")
    auth_repo.ensure_org(session, org_id)
    made = new_key(secret)
    row = ApiKeyRow(id=str(uuid.uuid4()), org_id=org_id, name=name, prefix=made.prefix, key_hash=made.key_hash,
                    scopes=sorted(set(scopes)), expires_at=expires_at)
    session.add(row)
    auth_repo.add_event(session, org_id=org_id, actor=actor, type="key.created", subject=row.id,
                        details={"name": name, "scopes": row.scopes, "prefix": made.prefix})
    session.flush()
    return CreatedKey(row=row, key=made.key)


def revoke_key(session: Session, key_id: str, *, org_id: str | None, actor: str) -> ApiKeyRow:
    row = session.get(ApiKeyRow, key_id)
    if row is None or (org_id is not None and row.org_id != org_id):
        raise KeyError_(f"no key {key_id!r}")
    if row.revoked_at is None:
        # This process answers no request with the key from now on, nor after the commit (a request that
        # re-verified the key in between would have cached it again); others within KEY_CACHE_SECONDS.
        forget_verified_keys()
        event.listen(session, "after_commit", lambda _session: forget_verified_keys(), once=True)
        row.revoked_at = utcnow()
        session.add(row)
        auth_repo.end_console_sessions(session, key_id=row.id)
        auth_repo.add_event(session, org_id=row.org_id, actor=actor, type="key.revoked", subject=row.id)
    return row
