"""Webhook signing secrets at rest: only their Fernet token is stored (see `service.auth.encryption`)."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from service.auth.encryption import InvalidToken, SecretBox
from service.store.monitor_tables import WebhookRow

log = logging.getLogger(__name__)


def seal(row: WebhookRow, box: SecretBox, secret: str) -> None:
    row.secret, row.secret_token = "", box.encrypt(secret)


def signing_secret(row: WebhookRow, box: SecretBox) -> str | None:
    """The plain secret; None when no configured server secret opens its token."""
    if row.secret_token is None:
        return row.secret  # stored by an earlier version, not yet encrypted
    try:
        return box.decrypt(row.secret_token)
    except InvalidToken:
        log.error("webhook %s: its secret does not decrypt with FLRISK_SECRET_KEY or FLRISK_OLD_SECRET_KEYS", row.id)
        return None


def encrypt_plaintext(engine: Engine, box: SecretBox) -> int:
    """Encrypt the secrets earlier versions stored in plain text (at start-up); how many."""
    with Session(engine) as session:
        rows = list(session.exec(select(WebhookRow).where(col(WebhookRow.secret_token).is_(None))))
        for row in rows:
            seal(row, box, row.secret)
            session.add(row)
        session.commit()
    return len(rows)


def rotate(engine: Engine, box: SecretBox) -> int:
    """Re-encrypt every webhook secret under the current server secret (`flrisk secrets rotate`); how many.
    InvalidToken when one cannot be read with the current or old secrets (nothing is changed then)."""
    with Session(engine) as session:
        rows = list(session.exec(select(WebhookRow)))
        for row in rows:
            if row.secret_token is None:
                seal(row, box, row.secret)
            else:
                row.secret_token = box.rotate(row.secret_token)
            session.add(row)
        session.commit()
    return len(rows)
