"""Monitoring's jobs: starting a re-screen round when the lists change, and re-screening one of its chunks.

SQLite: the InlineRunner's thread pool in the API process. PostgreSQL: the procrastinate task
`flrisk.rescreen_suppliers(round_id, seq)` on `flrisk worker`s. Both are deferred in the transaction that
stores the round.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from service.monitoring.rounds import rescreen_chunk, start_round
from service.services.context import ContextProvider
from service.services.queue import JobQueue
from service.store.db import transaction

log = logging.getLogger(__name__)
TASK = "flrisk.rescreen_suppliers"
MAX_ATTEMPTS = 3  # inline runner; procrastinate retries by its own strategy (jobs/worker.py)


def on_lists_changed(engine: Engine, pointers: dict[str, int], queue: JobQueue) -> None:
    """Called from ListRegistry.refresh() after a new view is swapped in; never raises."""
    try:
        with transaction(engine) as session:
            row = start_round(session, pointers)
            if row is not None and row.chunks:
                queue.defer_rescreen(session, row.id, range(len(row.chunks)))
    except Exception:  # a failed round start must never break the list refresh
        log.exception("could not start a monitor round for %s", pointers)
        return
    if row is not None:
        log.info("monitor round %s: %d suppliers in %d chunks", row.id[:12], sum(map(len, row.chunks)),
                 len(row.chunks))


def run_rescreen_chunk(engine: Engine, context: ContextProvider, round_id: str, seq: int) -> int:
    """The task: one chunk of a round in its own transaction; the number of suppliers re-screened."""
    with transaction(engine) as session:
        done = rescreen_chunk(session, context, round_id, seq)
    log.info("re-screen chunk %s/%d: %d suppliers, %d alerts", round_id[:12], seq, done.suppliers, done.alerts)
    return done.suppliers


def run_inline(engine: Engine, context: ContextProvider, round_id: str, seq: int) -> None:
    """The task on the inline runner, retried here."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            run_rescreen_chunk(engine, context, round_id, seq)
            return
        except Exception:
            log.exception("re-screen chunk %s/%d failed (attempt %d)", round_id[:12], seq, attempt)
