"""In-process batch runner for the embedded default (SQLite): the same chunk code, on a thread.

Unfinished batches resume from their stored chunks when the service starts again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.jobs.chunks import MAX_ATTEMPTS, ContextProvider, process_chunk
from service.store import batches_repo

log = logging.getLogger(__name__)


class InlineRunner:
    def __init__(self, engine: Engine, context: ContextProvider, *, threads: int = 1) -> None:
        self._engine = engine
        self._context = context
        # One thread by default: SQLite has one writer, and screening holds the GIL anyway.
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="batch")
        self._queued: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def enqueue(self, batch_id: str, seqs: Sequence[int]) -> None:
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

    def _run(self, batch_id: str, seq: int, attempt: int) -> None:
        try:
            process_chunk(self._engine, batch_id, seq, self._context)
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
