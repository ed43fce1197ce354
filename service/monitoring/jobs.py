"""Running re-screen chunks on the existing job backends.

SQLite: the InlineRunner's thread pool in the API process. PostgreSQL: the procrastinate task
`flrisk.rescreen_suppliers(round_id, seq)` on `flrisk worker`s. A chunk is one transaction: its
suppliers are locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and a supplier already re-screened in
this round is skipped, so a retried or duplicated job re-screens nobody twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.jobs.chunks import ContextProvider
from service.monitoring.rescreen import rescreen_supplier
from service.screening.verdict import ScreeningContext
from service.store import monitor_repo
from service.store.monitor_tables import MonitorRoundRow
from service.timestamps import utcnow

log = logging.getLogger(__name__)
TASK = "flrisk.rescreen_suppliers"
MAX_ATTEMPTS = 3
FRESH_WAIT_SECONDS = 15.0  # how long a worker waits for its list poller to reach the round's versions


class Queue(Protocol):
    def shutdown(self) -> None: ...


class StaleListsError(RuntimeError):
    """This process does not yet see the list versions of the round; the job is retried."""


def enqueue_round(queue: Any, engine: Engine, round_id: str, chunks: int) -> None:
    if hasattr(queue, "submit"):  # InlineRunner
        for seq in range(chunks):
            queue.submit(run_inline, engine, queue.context, round_id, seq)
    else:  # ProcrastinateQueue
        queue.defer(TASK, [{"round_id": round_id, "seq": seq} for seq in range(chunks)])


def run_inline(engine: Engine, context: ContextProvider, round_id: str, seq: int) -> None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            rescreen_chunk(engine, context, round_id, seq)
            return
        except Exception:
            log.exception("re-screen chunk %s/%d failed (attempt %d)", round_id[:12], seq, attempt)


def _version_ids(labels: dict[str, str]) -> dict[str, int]:
    return {source: int(label.split()[0][1:]) for source, label in labels.items()}


def _fresh_context(context: ContextProvider, org_id: str, pointers: dict[str, int]
                   ) -> tuple[ScreeningContext, dict[str, str]]:
    """The context for the round's versions or newer; waits for a lagging list poller."""
    deadline = time.monotonic() + FRESH_WAIT_SECONDS
    while True:
        ctx, labels = context(org_id)
        seen = _version_ids(labels)
        if all(seen.get(source, -1) >= vid for source, vid in pointers.items()):
            return ctx, labels
        if time.monotonic() > deadline:
            raise StaleListsError(f"list versions {seen} older than the round's {pointers}")
        time.sleep(0.5)


def rescreen_chunk(engine: Engine, context: ContextProvider, round_id: str, seq: int) -> int:
    """Re-screen one chunk of a round in one transaction; the number of suppliers re-screened."""
    with Session(engine, expire_on_commit=False) as session:
        rnd = session.get(MonitorRoundRow, round_id)
        if rnd is None or seq >= len(rnd.chunks):
            return 0
        pointers = dict(rnd.pointers)
        todo = [s for s in monitor_repo.lock_suppliers(session, rnd.chunks[seq]) if s.last_round_id != round_id]
        contexts: dict[str, tuple[ScreeningContext, dict[str, str]]] = {}
        alerts = 0
        for supplier in todo:
            if supplier.org_id not in contexts:
                contexts[supplier.org_id] = _fresh_context(context, supplier.org_id, pointers)
            ctx, labels = contexts[supplier.org_id]
            alerts += len(rescreen_supplier(session, supplier, ctx, labels, round_id))
        locked = monitor_repo.lock_round(session, round_id)
        if locked is not None and todo:
            locked.chunks_done += 1
            if locked.chunks_done >= len(locked.chunks):
                locked.finished_at = utcnow()
            session.add(locked)
        session.commit()
    log.info("re-screen chunk %s/%d: %d suppliers, %d alerts", round_id[:12], seq, len(todo), alerts)
    return len(todo)
