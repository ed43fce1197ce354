"""Relations between parties (GLEIF, OpenSanctions): versions per source, active pointer, orgs, relations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relation_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("relation_count", sa.Integer, nullable=False),
        sa.Column("org_count", sa.Integer, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String, nullable=False),
        sa.Column("snapshot_date", sa.String(32)),
        sa.Column("coverage_note", sa.String),
    )
    op.create_index("ix_relation_version_source", "relation_version", ["source"])
    op.create_table(
        "relation_source",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("active_version_id", sa.Integer, sa.ForeignKey("relation_version.id"), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "relation_org",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("relation_version.id"), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("lei", sa.String(20)),
        sa.Column("entity_type", sa.String(20), nullable=False),
        sa.UniqueConstraint("version_id", "key", name="uq_relation_org_version_key"),
    )
    op.create_index("ix_relation_org_version_id", "relation_org", ["version_id"])
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("relation_version.id"), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("object", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("citation", sa.String, nullable=False),
        sa.Column("share", sa.Float),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
    )
    op.create_index("ix_relation_version_id", "relation", ["version_id"])


def downgrade() -> None:
    for table in ("relation", "relation_org", "relation_source", "relation_version"):
        op.drop_table(table)
