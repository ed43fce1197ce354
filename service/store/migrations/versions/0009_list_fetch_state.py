"""List sync: conditional-request validators per upstream URL, and each list version's changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

`list_fetch_state` is keyed by the SHA-256 of the full URL, so a URL holding a user, password or token is never
stored in clear; its `url` column keeps the redacted form for people. `list_change` holds, per version, the entries
added, removed and changed against the version it replaced. Origins and coverage notes stored by earlier versions
are redacted here (a URL's user, password and query string), as every new one is when it is stored.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_URL = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^/?#@\s\"']*@)?(?P<rest>[^?#\s\"']*)"
                  r"(?P<query>\?[^#\s\"']*)?")


def _redact(text: str) -> str:  # a frozen copy of service.observability.logging.redact: migrations never change
    return _URL.sub(lambda m: f"{m['scheme']}{'***@' if m['user'] else ''}{m['rest']}{'?***' if m['query'] else ''}",
                    text)


def upgrade() -> None:
    op.create_table(
        "list_fetch_state",
        sa.Column("url_hash", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("url", sa.String, nullable=False),
        sa.Column("etag", sa.String),
        sa.Column("last_modified", sa.String),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_list_fetch_state_source", "list_fetch_state", ["source"])
    op.create_table(
        "list_change",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_version.id"), primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("previous_version_id", sa.Integer),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.JSON, nullable=False),
        sa.Column("removed", sa.JSON, nullable=False),
        sa.Column("changed", sa.JSON, nullable=False),
    )
    op.create_index("ix_list_change_source_at", "list_change", ["source", "at"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, origin, coverage_note FROM list_version")).all()
    for vid, origin, note in rows:
        if _redact(origin) != origin or (note and _redact(note) != note):
            conn.execute(sa.text("UPDATE list_version SET origin = :o, coverage_note = :n WHERE id = :id"),
                         {"o": _redact(origin), "n": _redact(note) if note else note, "id": vid})


def downgrade() -> None:
    op.drop_index("ix_list_change_source_at", "list_change")
    op.drop_table("list_change")
    op.drop_index("ix_list_fetch_state_source", "list_fetch_state")
    op.drop_table("list_fetch_state")
