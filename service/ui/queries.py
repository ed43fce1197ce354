"""Read queries the console needs beyond the API's repositories (recent batches, review filters, one row)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Text, cast, func
from sqlmodel import Session, col, select

from service.screening.decisions import party_key
from service.store.tables import BatchChunkRow, BatchFindingRow, BatchRow, DecisionRow

SORTS = {
    "score": (col(BatchFindingRow.risk_score).desc(), col(BatchFindingRow.row_index)),
    "-score": (col(BatchFindingRow.risk_score), col(BatchFindingRow.row_index)),
    "row": (col(BatchFindingRow.row_index),),
    "-row": (col(BatchFindingRow.row_index).desc(),),
    "name": (col(BatchFindingRow.name), col(BatchFindingRow.row_index)),
    "-name": (col(BatchFindingRow.name).desc(), col(BatchFindingRow.row_index)),
}


def recent_batches(session: Session, org_id: str, limit: int = 50) -> list[BatchRow]:
    stmt = select(BatchRow).where(BatchRow.org_id == org_id).order_by(col(BatchRow.created_at).desc()).limit(limit)
    return list(session.exec(stmt))


def own_batch(session: Session, batch_id: str, org_id: str) -> BatchRow | None:
    batch = session.get(BatchRow, batch_id)
    return batch if batch is not None and batch.org_id == org_id else None


def review_page(session: Session, batch_id: str, *, verdict: str | None, min_score: int | None,
                sector: str | None, sort: str, limit: int, offset: int) -> tuple[int, list[BatchFindingRow]]:
    """One page of a batch's findings and the number matching, filtered and sorted in the database.

    The sector filter looks for the sector family as the stored evidence JSON spells it (`"family": "Apparel"`),
    so a large batch is never loaded to filter it."""
    stmt = select(BatchFindingRow).where(BatchFindingRow.batch_id == batch_id)
    if verdict:
        stmt = stmt.where(BatchFindingRow.verdict == verdict)
    if min_score is not None:
        stmt = stmt.where(col(BatchFindingRow.risk_score) >= min_score)
    if sector:
        needle = json.dumps({"family": sector})[1:-1]
        stmt = stmt.where(cast(col(BatchFindingRow.result), Text).contains(needle, autoescape=True))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(*SORTS.get(sort, SORTS["score"])).limit(limit).offset(offset))
    return int(total), list(rows)


def input_rows(session: Session, batch_id: str, indexes: Collection[int]) -> dict[int, dict[str, Any]]:
    """The stored input rows {"i", "n", "v"} by data-row index. Chunks hold consecutive rows, each as many
    as the first, so every row is found in one chunk read (shared by the rows of that chunk)."""
    first = session.get(BatchChunkRow, (batch_id, 0))
    if first is None or not first.rows:
        return {}
    size, found = len(first.rows), {}
    for seq in sorted({i // size for i in indexes}):
        chunk = first if seq == 0 else session.get(BatchChunkRow, (batch_id, seq))
        wanted = {i for i in indexes if i // size == seq}
        found.update({row["i"]: dict(row) for row in (chunk.rows if chunk is not None else []) if row["i"] in wanted})
    return found


def decisions_for(session: Session, org_id: str, names: Collection[str]) -> list[DecisionRow]:
    """Unrevoked decisions on parties with these names (any country; callers match the country), newest last."""
    folded = {party_key(name, None).split("|")[0] for name in names}
    stmt = select(DecisionRow).where(DecisionRow.org_id == org_id, col(DecisionRow.revoked_at).is_(None))
    rows = session.exec(stmt.order_by(col(DecisionRow.created_at)))
    return [r for r in rows if r.party_key.rsplit("|", 1)[0] in folded]
