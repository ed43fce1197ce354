"""Screening one chunk of a batch: rows in, results, findings and progress out, in one transaction.

The chunk row is locked for the whole transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two
workers never screen the same chunk at once, and a worker killed mid-chunk leaves nothing behind:
its transaction is rolled back, its lock released, and the chunk is still `pending` for the next
worker. Progress counters move under a lock on the batch row, so the last chunk always closes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlmodel import Session

from service.observability.metrics import count_batch_rows, observe_screening
from service.screening.reasons import reason
from service.screening.record import Record
from service.screening.redecide import decision_blocks, stored
from service.screening.verdict import ScreeningContext, screen
from service.services.batch_rows import batch_columns, finding_values, row_screening
from service.services.context import ContextProvider
from service.store import batches_repo
from service.store.db import transaction
from service.timestamps import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ChunkOutcome:
    status: Literal["done", "already_done", "busy", "missing"]
    rows: int = 0
    batch_done: bool = False


def summarise(row: dict[str, Any], record: Record, ctx: ScreeningContext, warnings: list[str] | None = None
              ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The compact per-row result for downloads, and the full evidence (only for non-clear rows: the rest
    of the evidence is not kept). Both are as screened, before analyst decisions; the decisions the engine
    found in force on the row's matches come apart in `full["decisions"]` (see `services/batch_rows.py`)."""
    with observe_screening():
        outcome = screen(record, ctx)
    blocks = decision_blocks(e.to_dict() for e in outcome.evidence)
    if blocks:  # rare: screen again without decisions, so that one withdrawn later can be undone
        outcome = screen(record, replace(ctx, decisions={}))
    matches = [e for e in outcome.evidence if e.type in ("list_match", "ownership")]  # ownership: the entry behind
    top = max(matches, key=lambda e: e.strength) if matches else None
    places = [e.blocks["place"] for e in outcome.evidence if e.type in ("xinjiang_location", "xinjiang_name")]
    sectors = [s["sector_id"] for e in outcome.evidence if e.type == "sector_exposure" for s in e.blocks["sectors"]]
    compact = {
        "i": row["i"], "verdict": outcome.verdict, "risk_score": outcome.risk_score,
        "top_match_source": top.blocks["list_entry"]["source"] if top else None,
        "top_match_entry": top.blocks["list_entry"]["entry_id"] if top else None,
        "top_match_name": top.blocks["list_entry"]["name"] if top else None,
        "top_match_score": top.blocks["match"]["score"] if top else None,
        "xinjiang_place": f"{places[0]['name']} ({places[0]['chinese_name']})" if places else None,
        "sector": sectors[0] if sectors else None,
    }
    if warnings:  # only when there are some: a million clean rows store no empty lists
        compact["warnings"] = warnings
    if outcome.verdict == "clear":
        return compact, None
    evidence = [stored(e) for e in outcome.evidence]
    compact["reason"] = reason(evidence)
    full = {"verdict": outcome.verdict, "risk_score": outcome.risk_score, "summary": outcome.summary,
            "evidence": evidence, "rebuttal_checklist": [item.id for item in outcome.checklist],
            "warnings": warnings or [], "decisions": blocks}
    return compact, full


class TransientDatabaseError(RuntimeError):
    """The database was unavailable for a moment (connection lost, failover, deadlock, serialization failure,
    SQLite busy): the chunk is retried without spending one of its MAX_ATTEMPTS."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, DisconnectionError | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def process_chunk(engine: Engine, batch_id: str, seq: int, context: ContextProvider) -> ChunkOutcome:
    """The worker task for one chunk (both backends): each step is its own transaction. The batch shows as
    running at once; the chunk is screened and stored in one transaction; a failure is counted in another."""
    try:
        with transaction(engine) as session:
            batches_repo.mark_running(session, batch_id)
        with transaction(engine) as session:
            outcome, results = screen_chunk(session, batch_id, seq, context)
        count_batch_rows(results)
        return outcome
    except Exception as exc:
        if is_transient(exc):
            log.warning("chunk %s/%s: transient database error, retried without counting: %s", batch_id, seq,
                        type(exc).__name__)
            raise TransientDatabaseError(f"chunk {batch_id}/{seq}: {type(exc).__name__}") from exc
        with transaction(engine) as session:
            attempts = batches_repo.record_failure(session, batch_id, seq, f"{type(exc).__name__}: {exc}",
                                                   MAX_ATTEMPTS)
        log.exception("chunk %s/%s failed (attempt %d)", batch_id, seq, attempts)
        raise


def screen_chunk(session: Session, batch_id: str, seq: int, context: ContextProvider
                 ) -> tuple[ChunkOutcome, list[dict[str, Any]]]:
    """Screen the chunk's rows and store results, findings and progress in the caller's transaction, under a
    lock on the chunk; the outcome and the compact results."""
    chunk = batches_repo.lock_chunk(session, batch_id, seq)
    if chunk is None:
        return ChunkOutcome("busy" if batches_repo.chunk_exists(session, batch_id, seq) else "missing"), []
    if chunk.status == "done":
        return ChunkOutcome("already_done"), []
    batch = batches_repo.for_job(session, batch_id)
    assert batch is not None
    columns = batch_columns(batch)
    ctx, versions, used = context(batch.org_id)
    compact: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    decided: list[str] = []  # verdicts after decisions, for the counts
    for row in chunk.rows:
        record, warnings = row_screening(row, columns)
        result, full = summarise(row, record, ctx, warnings)
        compact.append(result)
        if full is not None:
            findings.append(finding_values(batch_id, row, record.parties[0], full))
        decided.append(findings[-1]["verdict"] if full is not None else result["verdict"])
    batches_repo.add_findings(session, findings)
    chunk.status, chunk.results, chunk.finished_at = "done", compact, utcnow()
    chunk.attempts += 1
    session.add(chunk)
    done = batches_repo.add_progress(session, batch_id, compact, versions, decided, used.stored())
    return ChunkOutcome("done", rows=len(compact), batch_done=done), compact
