"""Organisations, API keys, the audit trail; screenings and batches belong to an organisation.

Rows created before this revision are assigned to the default organisation.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    org = op.create_table(
        "organization",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(org, [{"id": "default", "name": "Default organisation", "created_at": datetime.now(UTC)}])
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(64), sa.ForeignKey("organization.id"), nullable=False, index=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("type", sa.String(40), nullable=False, index=True),
        sa.Column("subject", sa.String(200)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_hash", sa.String(64)),
        sa.Column("list_versions", sa.JSON, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_event_org_at", "audit_event", ["org_id", "at"])
    for table in ("screening", "batch"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("org_id", sa.String(64), nullable=False, server_default="default"))
            batch.create_index(f"ix_{table}_org_id", ["org_id"])


def downgrade() -> None:
    for table in ("batch", "screening"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_org_id")
            batch.drop_column("org_id")
    op.drop_table("audit_event")
    op.drop_table("api_key")
    op.drop_table("organization")
