"""Console sessions kept server-side (revoked on logout and with their key); webhook secrets encrypted.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

`webhook.secret_token` holds the Fernet token of the signing secret. Secrets stored in plain text by earlier
versions stay in `webhook.secret` until the service encrypts them at its next start (the key comes from
FLRISK_SECRET_KEY, which migrations do not see); `secret` is then left empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_session",
        sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the cookie's nonce, never the nonce
        sa.Column("key_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_console_session_key_id", "console_session", ["key_id"])
    with op.batch_alter_table("webhook") as batch:
        batch.add_column(sa.Column("secret_token", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("webhook") as batch:
        batch.drop_column("secret_token")
    op.drop_table("console_session")
