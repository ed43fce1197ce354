"""Analyst decisions on (party, list entry) pairs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("party_name", sa.String, nullable=False),
        sa.Column("party_country", sa.String(64)),
        sa.Column("party_key", sa.String, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.String, nullable=False),
        sa.Column("analyst", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_decision_org_party", "decision", ["org_id", "party_key"])


def downgrade() -> None:
    op.drop_table("decision")
