"""In-process batch runner for the embedded default (SQLite): the same chunk code, on a thread.

Chunks wait in a `Rotation` (service/jobs/fair.py): organisations and their batches take turns, a chunk at a
time, so a small batch never waits for a large one to finish. Other jobs (re-screens of monitored suppliers)
take their turn like one more batch. Unfinished batches resume from their stored chunks when the service
starts again.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.jobs.chunks import MAX_ATTEMPTS, ContextProvider, TransientDatabaseError, process_chunk
from service.jobs.fair import Rotation
from service.store import batches_repo

log = logging.getLogger(__name__)
TRANSIENT_BACKOFF_SECONDS = 0.1
JOBS = "~jobs"  # the rotation's organisation and batch for jobs that are not batch chunks
Key = tuple[str, Any]  # (batch id, seq) of a chunk, or (JOBS, n) of another job


class InlineRunner:
    def __init__(self, engine: Engine, context: ContextProvider, *, threads: int = 1) -> None:
        self._engine = engine
        self._context = context
        self._rotation: Rotation[Key] = Rotation()
        self._attempts: dict[Key, int] = {}
        self._jobs: dict[Key, Callable[[], object]] = {}
        self._running: set[Key] = set()
        self._orgs: dict[str, str] = {}  # batch id -> organisation
        self._numbers = itertools.count()
        self._cond = threading.Condition()
        self._stopping = False
        # One thread by default: SQLite has one writer, and screening holds the GIL anyway.
        self._threads = [threading.Thread(target=self._loop, name=f"batch-{i}", daemon=True) for i in range(threads)]
        for thread in self._threads:
            thread.start()

    @property
    def context(self) -> ContextProvider:
        return self._context

    def enqueue(self, batch_id: str, seqs: Sequence[int], *, session: Session | None = None) -> None:
        """Queue the chunks for their turn; with `session`, once (and only if) its transaction commits."""
        if session is not None:
            event.listen(session, "after_commit", lambda _s: self.enqueue(batch_id, seqs), once=True)
            return
        org = self._org(batch_id)
        with self._cond:
            for seq in seqs:
                key = (batch_id, seq)
                if key not in self._attempts:
                    self._attempts[key] = 1
                    self._rotation.push(org, batch_id, key)
            self._cond.notify_all()

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        """Run any job in its turn (re-screen chunks); `drain` waits for it too."""
        with self._cond:
            key = (JOBS, next(self._numbers))
            self._jobs[key] = lambda: fn(*args)
            self._attempts[key] = 1
            self._rotation.push(JOBS, JOBS, key)
            self._cond.notify_all()

    def queue_positions(self, session: Session, batch_ids: Collection[str]) -> dict[str, int]:
        """batch id -> 1 + the chunks served before its next waiting one (see BatchPublic.queue_position)."""
        with self._cond:
            positions = self._rotation.positions()
        return {b: positions[b] for b in batch_ids if b in positions}

    def requeue_stranded(self, session: Session, batch_id: str | None = None) -> int:
        """Queue the pending chunks of unfinished batches (of `batch_id`) not queued in this process yet."""
        pending = [(b, s) for b, s in batches_repo.pending_chunks(session) if batch_id in (None, b)]
        with self._cond:
            fresh = [(b, s) for b, s in pending if (b, s) not in self._attempts]
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

    def _org(self, batch_id: str) -> str:
        if batch_id not in self._orgs:
            with Session(self._engine) as session:
                batch = batches_repo.get(session, batch_id)
            self._orgs[batch_id] = batch.org_id if batch is not None else ""
        return self._orgs[batch_id]

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and not len(self._rotation):
                    self._cond.wait()
                if self._stopping:
                    return
                served = self._rotation.pop()
                assert served is not None
                org, _, key = served
                self._running.add(key)
            again = self._run(key)
            with self._cond:
                self._running.discard(key)
                if again:
                    self._rotation.push(org, key[0] if org != JOBS else JOBS, key)
                else:
                    self._attempts.pop(key, None)
                    self._jobs.pop(key, None)
                self._cond.notify_all()

    def _run(self, key: Key) -> bool:
        """Run a chunk or job once; True when it must be tried again."""
        try:
            if key[0] == JOBS:
                self._jobs[key]()
            else:
                process_chunk(self._engine, key[0], key[1], self._context)
        except TransientDatabaseError:
            # The database was briefly unavailable: try again after a pause, spending no attempt.
            time.sleep(TRANSIENT_BACKOFF_SECONDS)
            return True
        except Exception:
            if key[0] == JOBS:
                log.exception("job failed")
                return False
            with self._cond:
                self._attempts[key] += 1
                return self._attempts[key] <= MAX_ATTEMPTS
        return False

    def drain(self) -> None:
        """Wait until no chunk or job is waiting or running (tests, shutdown)."""
        with self._cond:
            while len(self._rotation) or self._running:
                self._cond.wait()

    def shutdown(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
