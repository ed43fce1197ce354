"""Stored screenings and idempotency keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("risk_score", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("list_versions", sa.JSON, nullable=False),
    )
    op.create_index("ix_screening_reference", "screening", ["reference"])
    op.create_index("ix_screening_created_at", "screening", ["created_at"])
    op.create_index("ix_screening_verdict", "screening", ["verdict"])
    op.create_table(
        "idempotency_key",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("endpoint", sa.String(64), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_ids", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_key")
    op.drop_table("screening")
