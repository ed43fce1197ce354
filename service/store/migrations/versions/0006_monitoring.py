"""Monitored suppliers, alerts, webhooks and deliveries, re-screen rounds; screening.previous_screening_id.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("screening", sa.Column("previous_screening_id", sa.String(36)))
    op.create_table(
        "supplier",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("last_screening_id", sa.String(36), nullable=False),
        sa.Column("last_verdict", sa.String(16), nullable=False),
        sa.Column("last_risk_score", sa.Integer, nullable=False),
        sa.Column("last_matches", sa.JSON, nullable=False),
        sa.Column("last_round_id", sa.String(64)),
        _ts("created_at"), _ts("screened_at"),
        sa.UniqueConstraint("org_id", "reference", name="uq_supplier_org_reference"),
    )
    op.create_index("ix_supplier_org_id", "supplier", ["org_id"])
    op.create_table(
        "alert",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("supplier_id", sa.String(36), nullable=False),
        sa.Column("supplier_reference", sa.String(200), nullable=False),
        sa.Column("supplier_name", sa.String, nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("screening_id", sa.String(36), nullable=False),
        sa.Column("previous_screening_id", sa.String(36)),
        sa.Column("details", sa.JSON, nullable=False),
        _ts("created_at"), _ts("acknowledged_at", nullable=True),
        sa.Column("acknowledged_by", sa.String(100)),
        sa.Column("note", sa.String),
    )
    op.create_index("ix_alert_org_created", "alert", ["org_id", "created_at"])
    op.create_index("ix_alert_supplier_id", "alert", ["supplier_id"])
    op.create_table(
        "webhook",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        _ts("created_at"), _ts("deleted_at", nullable=True),
    )
    op.create_index("ix_webhook_org_id", "webhook", ["org_id"])
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("webhook_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("body", sa.String, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.String),
        _ts("created_at"), _ts("next_attempt_at"), _ts("last_attempt_at", nullable=True),
        _ts("finished_at", nullable=True),
    )
    op.create_index("ix_webhook_delivery_due", "webhook_delivery", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_delivery_webhook_id", "webhook_delivery", ["webhook_id"])
    op.create_table(
        "monitor_round",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pointers", sa.JSON, nullable=False),
        sa.Column("chunks", sa.JSON, nullable=False),
        sa.Column("chunks_done", sa.Integer, nullable=False),
        _ts("created_at"), _ts("finished_at", nullable=True),
    )


def downgrade() -> None:
    for table in ("monitor_round", "webhook_delivery", "webhook", "alert", "supplier"):
        op.drop_table(table)
    with op.batch_alter_table("screening") as batch:
        batch.drop_column("previous_screening_id")
