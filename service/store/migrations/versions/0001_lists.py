"""List versions, active pointers and entries.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(64), nullable=False, index=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("entry_count", sa.Integer, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String, nullable=False),
        sa.Column("snapshot_date", sa.String(32)),
        sa.Column("coverage_note", sa.String),
    )
    op.create_table(
        "list_source",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("active_version_id", sa.Integer, sa.ForeignKey("list_version.id"), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "list_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("list_version.id"), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("entity_type", sa.String(20), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("chinese_names", sa.JSON, nullable=False),
        sa.Column("addresses", sa.JSON, nullable=False),
        sa.Column("city", sa.String),
        sa.Column("country", sa.String(8)),
        sa.Column("date_listed", sa.Date),
        sa.Column("legal_basis", sa.String),
        sa.Column("citation", sa.String),
        sa.Column("remarks", sa.String),
        sa.Column("program", sa.String),
        sa.Column("xinjiang_linked", sa.Boolean, nullable=False),
        sa.Column("match_by_name", sa.Boolean, nullable=False),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("search_text", sa.String, nullable=False),
        sa.UniqueConstraint("version_id", "entry_id", name="uq_list_entry_version_entry"),
    )
    op.create_index("ix_list_entry_version_id", "list_entry", ["version_id"])


def downgrade() -> None:
    op.drop_table("list_entry")
    op.drop_table("list_source")
    op.drop_table("list_version")
