"""List status: when each source was last checked against its upstream, last changed, last failed, and how old
its data may get; each version's official entity count, so results can say when a list is partial.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A source that was never checked counts from its snapshot date (the shipped snapshot's is the day it was copied).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("list_source") as batch:
        batch.add_column(sa.Column("last_checked_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_changed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_error_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_error", sa.Text))
        batch.add_column(sa.Column("max_age_days", sa.Integer))
    with op.batch_alter_table("list_version") as batch:
        batch.add_column(sa.Column("official_count", sa.Integer))
        batch.add_column(sa.Column("official_count_date", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("list_version") as batch:
        batch.drop_column("official_count_date")
        batch.drop_column("official_count")
    with op.batch_alter_table("list_source") as batch:
        for column in ("max_age_days", "last_error", "last_error_at", "last_changed_at", "last_checked_at"):
            batch.drop_column(column)
