"""The lists a batch's rows were screened against, with their status then (`lists`, `warnings`, `caveat`).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

`batch.lists_used` is null for batches screened before; they show no `lists`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.add_column(sa.Column("lists_used", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.drop_column("lists_used")
