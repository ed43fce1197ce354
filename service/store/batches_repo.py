"""Queries on batches and their chunks. Callers own the transaction."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, insert, update
from sqlmodel import Session, col, select

from service.store.tables import BatchChunkRow, BatchFileRow, BatchFindingRow, BatchRow
from service.timestamps import utcnow


def add(session: Session, batch: BatchRow, content: bytes, chunks: Sequence[BatchChunkRow]) -> None:
    session.add(batch)
    session.flush()
    session.add(BatchFileRow(batch_id=batch.id, content=content))
    session.add_all(chunks)
    session.flush()


def add_findings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Non-clear rows of a chunk in one multi-row INSERT (no ORM unit of work: hundreds per chunk)."""
    if rows:
        session.execute(insert(BatchFindingRow), list(rows))


def get(session: Session, org_id: str, batch_id: str) -> BatchRow | None:
    """The organisation's batch; another organisation's is None, as one that does not exist."""
    return session.exec(select(BatchRow).where(BatchRow.id == batch_id, BatchRow.org_id == org_id)).first()


def for_job(session: Session, batch_id: str) -> BatchRow | None:
    """A batch for the jobs that screen it (they act for its organisation); never for a caller's request."""
    return session.get(BatchRow, batch_id)


def recent(session: Session, org_id: str, limit: int = 50) -> list[BatchRow]:
    stmt = select(BatchRow).where(BatchRow.org_id == org_id).order_by(col(BatchRow.created_at).desc()).limit(limit)
    return list(session.exec(stmt))


def chunk_exists(session: Session, batch_id: str, seq: int) -> bool:
    return session.get(BatchChunkRow, (batch_id, seq)) is not None


def lock_chunk(session: Session, batch_id: str, seq: int) -> BatchChunkRow | None:
    """The chunk, locked for this transaction; None when another worker holds it (or it does not exist)."""
    stmt = select(BatchChunkRow).where(BatchChunkRow.batch_id == batch_id, BatchChunkRow.seq == seq)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return session.exec(stmt).first()


def pending_chunks(session: Session) -> list[tuple[str, int]]:
    """(batch id, seq) of every chunk still to screen in a batch that is not finished."""
    stmt = (select(BatchChunkRow.batch_id, BatchChunkRow.seq)
            .join(BatchRow, col(BatchRow.id) == col(BatchChunkRow.batch_id))
            .where(BatchChunkRow.status == "pending", col(BatchRow.status).in_(("queued", "running")))
            .order_by(col(BatchRow.created_at), col(BatchChunkRow.seq)))
    return [(b, s) for b, s in session.exec(stmt)]


def count_pending_chunks(session: Session) -> int:
    """Chunks waiting to be screened, in any batch (the queue depth of the metrics)."""
    return int(session.exec(select(func.count()).select_from(BatchChunkRow).where(BatchChunkRow.status == "pending"))
               .one())


def mark_running(session: Session, batch_id: str) -> None:
    """queued -> running with a start time."""
    session.execute(update(BatchRow).where(col(BatchRow.id) == batch_id, col(BatchRow.status) == "queued")
                    .values(status="running", started_at=utcnow()))


def add_progress(session: Session, batch_id: str, results: list[dict[str, Any]], versions: dict[str, str],
                 decided: list[str] | None = None, lists_used: dict[str, Any] | None = None) -> bool:
    """Count a finished chunk under a lock on the batch row; True when it was the last one. `counts` takes the
    verdicts after decisions (`decided`, default: as screened), `original_counts` the ones as screened."""
    # populate_existing: the row may already sit in this session's identity map from before the lock;
    # without a refresh we would add to stale counters and lose another worker's update.
    # FOR NO KEY UPDATE, not FOR UPDATE: this transaction's findings already hold KEY SHARE locks on the
    # batch row (their foreign key), as do other workers' chunk transactions; FOR UPDATE would wait on
    # those while they wait on ours (a deadlock, seen with two workers on 100k rows).
    stmt = (select(BatchRow).where(BatchRow.id == batch_id).with_for_update(key_share=True)
            .execution_options(populate_existing=True))
    batch = session.exec(stmt).one()
    counts, original = Counter(batch.counts), Counter(batch.original_counts or {})
    original.update(r["verdict"] for r in results)
    counts.update(decided if decided is not None else (r["verdict"] for r in results))
    batch.counts, batch.original_counts = dict(counts), dict(original)
    batch.rows_done += len(results)
    batch.chunks_done += 1
    merged = dict(batch.list_versions)
    for source, label in versions.items():
        if merged.get(source) not in (None, label) and label not in merged[source]:
            merged[source] = f"{merged[source]} + {label}"  # the lists changed while the batch ran
        else:
            merged.setdefault(source, label)
    batch.list_versions = merged
    if lists_used is not None:
        batch.lists_used = merge_lists_used(batch.lists_used, lists_used)
    if batch.chunks_done >= batch.chunks_total:
        batch.status, batch.finished_at = "done", utcnow()
    session.add(batch)
    return batch.status == "done"


def merge_lists_used(before: dict[str, Any] | None, chunk: dict[str, Any]) -> dict[str, Any]:
    """The batch's lists after one more chunk: each version once (stale if it was for any chunk), every warning
    once, the latest caveat (or the earlier one, when the latest chunk had none)."""
    if not before:
        return chunk
    lists = {(u["source"], u["version"]): u for u in before.get("lists") or []}
    for u in chunk.get("lists") or []:
        seen = lists.get((u["source"], u["version"]))
        lists[(u["source"], u["version"])] = {**u, "stale": u["stale"] or bool(seen and seen["stale"])}
    warnings = list(dict.fromkeys([*(before.get("warnings") or []), *(chunk.get("warnings") or [])]))
    return {"lists": sorted(lists.values(), key=lambda u: (u["source"], u["version"])), "warnings": warnings,
            "caveat": chunk.get("caveat") or before.get("caveat")}


def record_failure(session: Session, batch_id: str, seq: int, error: str, max_attempts: int) -> int:
    """Count a failed attempt; after `max_attempts` the batch is marked failed with the error."""
    chunk = session.get(BatchChunkRow, (batch_id, seq))
    if chunk is None:
        return 0
    chunk.attempts += 1
    session.add(chunk)
    if chunk.attempts >= max_attempts:
        batch = session.get(BatchRow, batch_id)
        if batch is not None and batch.status != "done":
            batch.status, batch.error, batch.finished_at = "failed", f"chunk {seq}: {error}", utcnow()
            session.add(batch)
    return chunk.attempts


def iter_chunks(session: Session, batch_id: str) -> Iterator[BatchChunkRow]:
    """Chunks in order, one query each, so a download never holds the whole batch in memory."""
    seqs = list(session.exec(select(BatchChunkRow.seq).where(BatchChunkRow.batch_id == batch_id)
                             .order_by(col(BatchChunkRow.seq))))
    for seq in seqs:
        chunk = session.get(BatchChunkRow, (batch_id, seq))
        if chunk is not None:
            yield chunk
            session.expunge(chunk)


def findings(session: Session, batch_id: str, *, verdict: str | None, limit: int, offset: int
             ) -> list[BatchFindingRow]:
    return findings_page(session, batch_id, verdict=verdict, limit=limit, offset=offset)[1]


def findings_page(session: Session, batch_id: str, *, verdict: str | None, limit: int, offset: int
                  ) -> tuple[int, list[BatchFindingRow]]:
    """Rows that were not clear as screened (filtered by their verdict now), highest risk first, and how many."""
    stmt = select(BatchFindingRow).where(BatchFindingRow.batch_id == batch_id)
    if verdict:
        stmt = stmt.where(BatchFindingRow.verdict == verdict)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(col(BatchFindingRow.risk_score).desc(), col(BatchFindingRow.row_index))
    return int(total), list(session.exec(stmt.limit(limit).offset(offset)))


# the console's review of a batch's findings
SORTS = {
    "score": (col(BatchFindingRow.risk_score).desc(), col(BatchFindingRow.row_index)),
    "-score": (col(BatchFindingRow.risk_score), col(BatchFindingRow.row_index)),
    "row": (col(BatchFindingRow.row_index),),
    "-row": (col(BatchFindingRow.row_index).desc(),),
    "name": (col(BatchFindingRow.name), col(BatchFindingRow.row_index)),
    "-name": (col(BatchFindingRow.name).desc(), col(BatchFindingRow.row_index)),
}


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


def finding_at(session: Session, batch_id: str, row_number: int) -> BatchFindingRow | None:
    """The finding of the row a spreadsheet numbers `row_number` (header = 1)."""
    stmt = select(BatchFindingRow).where(BatchFindingRow.batch_id == batch_id,
                                         BatchFindingRow.row_number == row_number)
    return session.exec(stmt).first()


def decided_findings(session: Session, batch_id: str) -> list[BatchFindingRow]:
    """The rows with an analyst decision in force on one of their matches."""
    stmt = select(BatchFindingRow).where(BatchFindingRow.batch_id == batch_id,
                                         col(BatchFindingRow.decisions).is_not(None))
    return [f for f in session.exec(stmt) if f.decisions]


def findings_of_party(session: Session, org_id: str, party_key: str) -> list[BatchFindingRow]:
    """Every finding of the organisation's batches about this party (as a decision keys it)."""
    stmt = (select(BatchFindingRow).join(BatchRow, col(BatchRow.id) == col(BatchFindingRow.batch_id))
            .where(BatchRow.org_id == org_id, BatchFindingRow.party_key == party_key))
    return list(session.exec(stmt))


def row_at(session: Session, batch: BatchRow, row_number: int) -> tuple[BatchChunkRow, int] | None:
    """The chunk holding the spreadsheet row `row_number` and the row's position in it (binary search over the
    chunks' first rows: they are consecutive and in file order); None when the batch has no such row."""
    low, high = 0, batch.chunks_total - 1
    while low <= high:
        middle = (low + high) // 2
        chunk = session.get(BatchChunkRow, (batch.id, middle))
        if chunk is None or not chunk.rows:
            return None
        if row_number < chunk.rows[0]["n"]:
            high = middle - 1
        elif row_number > chunk.rows[-1]["n"]:
            low = middle + 1
        else:
            position = next((i for i, r in enumerate(chunk.rows) if r["n"] == row_number), None)
            return (chunk, position) if position is not None else None
    return None


def search(session: Session, org_id: str, *, status: str | None, since: datetime | None, until: datetime | None,
           limit: int, offset: int) -> tuple[int, list[BatchRow]]:
    """The organisation's batches, newest first, by status and upload time, and how many match."""
    stmt = select(BatchRow).where(BatchRow.org_id == org_id)
    if status:
        stmt = stmt.where(BatchRow.status == status)
    if since is not None:
        stmt = stmt.where(col(BatchRow.created_at) >= since)
    if until is not None:
        stmt = stmt.where(col(BatchRow.created_at) < until)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(col(BatchRow.created_at).desc(), col(BatchRow.id)).limit(limit).offset(offset)
    return int(total), list(session.exec(stmt))


def lock(session: Session, batch_id: str) -> BatchRow:
    """The batch row, locked as `add_progress` locks it (FOR NO KEY UPDATE), refreshed."""
    stmt = (select(BatchRow).where(BatchRow.id == batch_id).with_for_update(key_share=True)
            .execution_options(populate_existing=True))
    return session.exec(stmt).one()
