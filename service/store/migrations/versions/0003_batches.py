"""Batches: uploaded files, chunks with their results, findings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("filename", sa.String),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("mapping_source", sa.String(8), nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("rows_done", sa.Integer, nullable=False),
        sa.Column("chunks_total", sa.Integer, nullable=False),
        sa.Column("chunks_done", sa.Integer, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("list_versions", sa.JSON, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_size", sa.Integer, nullable=False),
        sa.Column("error", sa.String),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "batch_file",
        sa.Column("batch_id", sa.String(36), sa.ForeignKey("batch.id"), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "batch_chunk",
        sa.Column("batch_id", sa.String(36), sa.ForeignKey("batch.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows", sa.JSON, nullable=False),
        sa.Column("results", sa.JSON),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "batch_finding",
        sa.Column("batch_id", sa.String(36), sa.ForeignKey("batch.id"), primary_key=True),
        sa.Column("row_index", sa.Integer, primary_key=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("risk_score", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("batch_finding")
    op.drop_table("batch_chunk")
    op.drop_table("batch_file")
    op.drop_table("batch")
