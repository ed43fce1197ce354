"""Batch rows an analyst can follow: spreadsheet row numbers, verdicts after decisions next to the original.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

`batch_finding.row_number` is the row a spreadsheet shows (header = 1), `party_key` finds the rows a decision
on a party concerns, `original_verdict`/`original_risk_score` keep the verdict as screened while `verdict` and
`risk_score` follow the organisation's decisions (`decisions` lists the ones in force on the row). `batch.
original_counts` keeps the counts as screened while `counts` follows the decisions. Existing rows are filled
from their stored chunks: as screened, no decision applied yet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_finding") as batch:
        batch.add_column(sa.Column("row_number", sa.Integer))
        batch.add_column(sa.Column("party_key", sa.String))
        batch.add_column(sa.Column("original_verdict", sa.String(16)))
        batch.add_column(sa.Column("original_risk_score", sa.Integer))
        batch.add_column(sa.Column("decisions", sa.JSON))
    op.create_index("ix_batch_finding_party_key", "batch_finding", ["party_key"])
    op.create_index("ix_batch_finding_batch_row", "batch_finding", ["batch_id", "row_number"])
    with op.batch_alter_table("batch") as batch:
        batch.add_column(sa.Column("original_counts", sa.JSON))
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Row numbers and party keys of the findings stored so far, from each batch's chunks and mapping."""
    from service.countries import lookup
    from service.screening.decisions import party_key

    meta = sa.MetaData()
    batch = sa.Table("batch", meta, autoload_with=conn)
    chunk = sa.Table("batch_chunk", meta, autoload_with=conn)
    finding = sa.Table("batch_finding", meta, autoload_with=conn)
    conn.execute(batch.update().values(original_counts=batch.c.counts))
    conn.execute(finding.update().values(original_verdict=finding.c.verdict,
                                         original_risk_score=finding.c.risk_score))
    with_findings = [r[0] for r in conn.execute(sa.select(finding.c.batch_id).distinct())]
    for batch_id in with_findings:
        headers, mapping = conn.execute(sa.select(batch.c.headers, batch.c.mapping)
                                        .where(batch.c.id == batch_id)).one()
        country_at = headers.index(mapping["country"]) if "country" in mapping else None
        rows: dict[int, tuple[int, str | None]] = {}
        for (stored,) in conn.execute(sa.select(chunk.c.rows).where(chunk.c.batch_id == batch_id)):
            for row in stored:
                cell = row["v"][country_at].strip() if country_at is not None else ""
                rows[row["i"]] = (row["n"], lookup(cell) if cell else None)
        for index, name in list(conn.execute(sa.select(finding.c.row_index, finding.c.name)
                                             .where(finding.c.batch_id == batch_id))):
            number, country = rows.get(index, (index + 2, None))
            conn.execute(finding.update().where(finding.c.batch_id == batch_id, finding.c.row_index == index)
                         .values(row_number=number, party_key=party_key(name, country)))


def downgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.drop_column("original_counts")
    op.drop_index("ix_batch_finding_batch_row", "batch_finding")
    op.drop_index("ix_batch_finding_party_key", "batch_finding")
    with op.batch_alter_table("batch_finding") as batch:
        for column in ("decisions", "original_risk_score", "original_verdict", "party_key", "row_number"):
            batch.drop_column(column)
