"""In-process batch runner for the embedded default (SQLite): the same chunk code, on a thread.

Unfinished batches resume from their stored chunks when the service starts again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.jobs.chunks import MAX_ATTEMPTS, ContextProvider, TransientDatabaseError, process_chunk
from service.store import batches_repo

log = logging.getLogger(__name__)
TRANSIENT_BACKOFF_SECONDS = 0.1


class InlineRunner:
    def __init__(self, engine: Engine, context: ContextProvider, *, threads: int = 1) -> None:
        self._engine = engine
        self._context = context
        # One thread by default: SQLite has one writer, and screening holds the GIL anyway.
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="batch")
        self._queued: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def enqueue(self, batch_id: str, seqs: Sequence[int], *, session: Session | None = None) -> None:
        """Run the chunks on the runner's thread; with `session`, once (and only if) its transaction commits."""
        if session is not None:
            event.listen(session, "after_commit", lambda _s: self.enqueue(batch_id, seqs), once=True)
            return
        for seq in seqs:
            key = (batch_id, seq)
            with self._lock:
                if key in self._queued:
                    continue
                self._queued.add(key)
            self._pool.submit(self._run, batch_id, seq, 1)

    @property
    def context(self) -> ContextProvider:
        return self._context

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        """Run any job on the runner's thread (re-screen chunks); `drain` waits for it too."""
        self._pool.submit(fn, *args)

    def requeue_stranded(self, session: Session, batch_id: str | None = None) -> int:
        """Queue the pending chunks of unfinished batches (of `batch_id`) not queued in this process yet."""
        pending = [(b, s) for b, s in batches_repo.pending_chunks(session) if batch_id in (None, b)]
        with self._lock:
            fresh = [(b, s) for b, s in pending if (b, s) not in self._queued]
        for b, s in fresh:
            self.enqueue(b, [s])
        return len(fresh)

    def resume(self) -> int:
        with Session(self._engine) as session:
            pending = batches_repo.pending_chunks(session)
        by_batch: dict[str, list[int]] = {}
        for batch_id, seq in pending:
            by_batch.setdefault(batch_id, []).append(seq)
        for batch_id, seqs in by_batch.items():
            self.enqueue(batch_id, seqs)
        if pending:
            log.info("resuming %d pending chunks of %d batches", len(pending), len(by_batch))
        return len(pending)

    def _run(self, batch_id: str, seq: int, attempt: int, transient: int = 0) -> None:
        try:
            process_chunk(self._engine, batch_id, seq, self._context)
        except TransientDatabaseError:
            # The database was briefly unavailable: try again after a pause, spending no attempt.
            time.sleep(min(TRANSIENT_BACKOFF_SECONDS * 2 ** transient, 5.0))
            self._pool.submit(self._run, batch_id, seq, attempt, transient + 1)
            return
        except Exception:
            if attempt < MAX_ATTEMPTS:
                self._pool.submit(self._run, batch_id, seq, attempt + 1)
                return
        with self._lock:
            self._queued.discard((batch_id, seq))

    def drain(self) -> None:
        """Wait for every queued chunk (tests, shutdown)."""
        self._pool.submit(lambda: None).result()
        while True:
            with self._lock:
                if not self._queued:
                    return
            f: Future[None] = self._pool.submit(lambda: None)
            f.result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
