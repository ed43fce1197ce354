"""API keys: long random tokens with a short public prefix, stored as HMAC-SHA256 with a server secret.

Keys are not passwords (they are 256-bit random), so a keyed hash is enough and costs microseconds;
the prefix finds the row without scanning. Format: `flr_<prefix>_<secret>`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

SCOPES = ("screen", "read", "decide", "admin")
PREFIX_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: prefixes get read aloud and typed
PREFIX_LEN = 10


class SecretKeyMissingError(RuntimeError):
    """PostgreSQL deployments must set FLRISK_SECRET_KEY (shared by every replica)."""


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str
    key_hash: str


def new_key(secret: bytes) -> NewKey:
    prefix = "".join(secrets.choice(PREFIX_CHARS) for _ in range(PREFIX_LEN))
    key = f"flr_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(key=key, prefix=prefix, key_hash=hash_key(secret, key))


def hash_key(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def prefix_of(key: str) -> str | None:
    parts = key.split("_", 2)  # the secret part may itself contain underscores
    if len(parts) != 3 or parts[0] != "flr" or len(parts[1]) != PREFIX_LEN:
        return None
    return parts[1]


def resolve_secret(configured: str | None, database_url: str) -> bytes:
    """The configured secret; for the embedded SQLite default, a random one kept in a 0600 file
    beside the database, so the two-command quick start needs no setup."""
    if configured:
        return configured.encode()
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise SecretKeyMissingError("set FLRISK_SECRET_KEY (a long random string shared by every replica) "
                                    "to use PostgreSQL")
    if not url.database or url.database == ":memory:":
        return secrets.token_bytes(32)  # in-memory database: keys die with the process anyway
    path = Path(url.database).expanduser().with_name("flrisk-secret.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
