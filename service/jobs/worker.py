"""Batch jobs on PostgreSQL with procrastinate: one job per chunk, any number of `flrisk worker`s.

A killed worker's job stays `doing` in procrastinate; every worker retries jobs of workers whose
heartbeat stopped (`STALLED_AFTER`). The chunk transaction itself is what makes this safe: a chunk
is screened and its results written in one transaction under a row lock, so a retried job either
finds the chunk done or screens it from scratch, and every row is screened exactly once.

A batch's jobs are deferred in the transaction that stores the batch (on its connection), so a batch is
never committed without them. Workers take jobs by priority: every time chunk jobs are deferred, the
priorities of all waiting chunk jobs are set again in the order of `service/jobs/fair.py` (organisations in
turn, then their batches in turn, a chunk at a time), so a small batch's chunks come right after the ones in
flight instead of after every chunk of a large batch deferred before it.

Workers also sweep for pending chunks of unfinished batches that have no live job (a job that ran out of
retries on transient database errors, or one removed by hand) and defer them again: every stored batch
finishes or fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from typing import Any

import procrastinate
import procrastinate.schema
import psycopg
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from service.jobs import rescreen, sync
from service.jobs.chunks import process_chunk
from service.jobs.fair import order
from service.services.context import ContextProvider
from service.store.db import transaction

log = logging.getLogger(__name__)
QUEUE = "batches"
SYNC_QUEUE = "lists"  # the periodic list sync: its own queue, so batch queue positions never count it
SYNC_TASK = "flrisk.sync_lists"
HEARTBEAT_SECONDS = 2.0
STALLED_AFTER = 10.0  # a worker silent this long is presumed dead; its jobs are retried
SWEEP_SECONDS = 5.0


def conninfo(database_url: str) -> str:
    """libpq connection string from an SQLAlchemy URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_app(database_url: str, *, sync_cron: str = "off") -> procrastinate.App:
    """The procrastinate app with flrisk's tasks; with `sync_cron` (not "off") the list sync also runs on that
    schedule in the workers (procrastinate defers each scheduled run once, whatever the number of workers)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)))

    # Retries cover both real failures (counted per chunk, the batch fails after MAX_ATTEMPTS) and a chunk
    # still locked by a worker that is dying or duplicated: that job must come back later, not succeed.
    @app.task(name="flrisk.screen_chunk", queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=10, wait=3))
    def screen_chunk(batch_id: str, seq: int) -> None:
        state = _STATE.get("worker")
        if state is None:
            raise RuntimeError("screen_chunk runs only inside `flrisk worker`")
        engine, context = state
        if process_chunk(engine, batch_id, seq, context).status == "busy":
            raise ChunkBusyError(f"chunk {batch_id}/{seq} is locked by another worker; retrying later")

    @app.task(name=rescreen.TASK, queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=5, wait=5))
    def rescreen_suppliers(round_id: str, seq: int) -> None:  # monitored suppliers, after a list change
        state = _STATE.get("worker")
        if state is None:
            raise RuntimeError("rescreen_suppliers runs only inside `flrisk worker`")
        rescreen.run_rescreen_chunk(state[0], state[1], round_id, seq)

    def sync_lists(timestamp: int) -> None:  # every configured list source from its upstream
        state = _STATE.get("worker")
        if state is None:
            raise RuntimeError("sync_lists runs only inside `flrisk worker`")
        sync.run_configured(state[0])

    task = app.task(name=SYNC_TASK, queue=SYNC_QUEUE, pass_context=False)(sync_lists)
    if sync_cron.strip().lower() != "off":
        app.periodic(cron=sync_cron)(task)
    return app


_STATE: dict[str, tuple[Engine, ContextProvider]] = {}


class ChunkBusyError(RuntimeError):
    """The chunk's row lock is held elsewhere; the job is retried."""


def ensure_schema(database_url: str) -> None:
    """Install procrastinate's tables once (its own SQL, pinned with the procrastinate<4 dependency)."""
    with psycopg.connect(conninfo(database_url), autocommit=True) as conn:
        # Replicas and workers starting together: one installs, the others wait and find it there.
        conn.execute("SELECT pg_advisory_lock(727276)")
        try:
            present = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
            if not (present and present[0]):
                conn.execute(procrastinate.schema.SchemaManager.get_schema())
        finally:
            conn.execute("SELECT pg_advisory_unlock(727276)")


class ProcrastinateQueue:
    """Defers chunk jobs from a synchronous process (the API), over its own small connection pool."""

    def __init__(self, app: procrastinate.App) -> None:
        self._app = app
        app.open()

    def enqueue(self, batch_id: str, seqs: Sequence[int], *, session: Session | None = None) -> None:
        """Defer one job per chunk and give every waiting chunk job its turn; with `session`, in its transaction
        (the jobs exist iff it commits). Without one the jobs keep the default priority: they go first."""
        if session is not None:
            defer_chunks(self._app, session, batch_id, seqs)
            rebalance(session)
        else:
            self._app.tasks["flrisk.screen_chunk"].batch_defer(*_chunk_jobs(batch_id, seqs))

    def queue_positions(self, session: Session, batch_ids: Collection[str]) -> dict[str, int]:
        return queue_positions(session, batch_ids)

    def requeue_stranded(self, session: Session, batch_id: str | None = None) -> int:
        return requeue_stranded(self._app, session, batch_id)

    def defer_rescreen(self, session: Session, round_id: str, seqs: Sequence[int]) -> None:
        """One job per chunk of the round, in the session's transaction (the jobs exist iff it commits)."""
        jobs = [{"round_id": round_id, "seq": seq} for seq in seqs]
        if jobs:
            _on_connection(self._app, rescreen.TASK, session).batch_defer(*jobs)

    def resume(self) -> int:  # workers recover on their own (stalled-job sweep)
        return 0

    def drain(self) -> None:  # pragma: no cover - only the inline runner can be drained
        raise NotImplementedError

    def shutdown(self) -> None:
        self._app.close()


_STRANDED = text("""
    SELECT c.batch_id, c.seq FROM batch_chunk c JOIN batch b ON b.id = c.batch_id
    WHERE c.status = 'pending' AND b.status IN ('queued', 'running')
      AND (CAST(:batch_id AS text) IS NULL OR c.batch_id = :batch_id)
      AND NOT EXISTS (SELECT 1 FROM procrastinate_jobs j
                      WHERE j.task_name = 'flrisk.screen_chunk' AND j.status IN ('todo', 'doing')
                        AND j.args ->> 'batch_id' = c.batch_id AND (j.args ->> 'seq')::int = c.seq)
    ORDER BY c.batch_id, c.seq""")


def defer_chunks(app: procrastinate.App, session: Session, batch_id: str, seqs: Sequence[int]) -> None:
    """One job per chunk, inserted on the session's own connection: part of its transaction."""
    _on_connection(app, "flrisk.screen_chunk", session).batch_defer(*_chunk_jobs(batch_id, seqs))


def _on_connection(app: procrastinate.App, task: str, session: Session) -> Any:
    """The task's deferrer on the session's own connection (psycopg, under the session's transaction)."""
    return app.tasks[task].configure(connection=session.connection().connection.driver_connection)


def _chunk_jobs(batch_id: str, seqs: Sequence[int]) -> list[dict[str, Any]]:
    return [{"batch_id": batch_id, "seq": seq} for seq in seqs]


def requeue_stranded(app: procrastinate.App, session: Session, batch_id: str | None = None) -> int:
    """Defer again the pending chunks (of `batch_id`, or of every unfinished batch) that have no live job,
    in the session's transaction."""
    found = stranded_chunks(session, batch_id)
    for stranded_batch, seqs in found.items():
        defer_chunks(app, session, stranded_batch, seqs)
    if found:
        rebalance(session)
    return sum(map(len, found.values()))


_WAITING = text("""
    SELECT j.id, b.org_id, b.id FROM procrastinate_jobs j JOIN batch b ON b.id = j.args ->> 'batch_id'
    WHERE j.status = 'todo' AND j.task_name = 'flrisk.screen_chunk'
    ORDER BY b.created_at, b.id, (j.args ->> 'seq')::int, j.id""")
_PRIORITIES = text("""
    UPDATE procrastinate_jobs j SET priority = -u.pos
    FROM unnest(CAST(:ids AS bigint[]), CAST(:pos AS integer[])) AS u(id, pos)
    WHERE j.id = u.id AND j.status = 'todo'""")
_POSITIONS = text("""
    WITH q AS (SELECT args ->> 'batch_id' AS batch_id, row_number() OVER (ORDER BY priority DESC, id) AS pos
               FROM procrastinate_jobs WHERE queue_name = :queue AND status = 'todo')
    SELECT batch_id, min(pos) FROM q WHERE batch_id = ANY(CAST(:ids AS text[])) GROUP BY batch_id""")
REBALANCE_LOCK = 727278  # one rebalance at a time: two would overwrite each other's order


def rebalance(session: Session) -> int:
    """Priorities of every waiting chunk job, in the session's transaction: position n in the fair order
    (service/jobs/fair.py) gets priority -n, and workers take the highest first. Returns the jobs ordered."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REBALANCE_LOCK})
    waiting = session.execute(_WAITING).all()
    ordered = order((org, batch, job) for job, org, batch in waiting)
    if ordered:
        session.execute(_PRIORITIES, {"ids": ordered, "pos": list(range(1, len(ordered) + 1))})
    return len(ordered)


def queue_positions(session: Session, batch_ids: Collection[str]) -> dict[str, int]:
    """batch id -> 1 + the jobs waiting ahead of its next chunk job (in the order workers take them)."""
    rows = session.execute(_POSITIONS, {"queue": QUEUE, "ids": list(batch_ids)})
    return {batch_id: int(position) for batch_id, position in rows}


def stranded_chunks(session: Session, batch_id: str | None = None) -> dict[str, list[int]]:
    """batch id -> seqs of pending chunks of unfinished batches that no job will run."""
    found: dict[str, list[int]] = {}
    for stranded_batch, seq in session.execute(_STRANDED.bindparams(batch_id=batch_id)):
        found.setdefault(stranded_batch, []).append(seq)
    return found


async def _sweep_stalled(app: procrastinate.App, engine: Engine) -> None:
    # Deferring on a given (synchronous) connection needs an app whose connector is not opened for asyncio.
    deferring = make_app(engine.url.render_as_string(hide_password=False))
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=STALLED_AFTER):
                log.warning("retrying stalled job %s (%s)", job.id, job.task_kwargs)
                await app.job_manager.retry_job(job)
            requeued = await asyncio.to_thread(_requeue_all, deferring, engine)
            if requeued:
                log.warning("deferred %d pending batch chunks that had no job", requeued)
        except Exception:  # the sweep must outlive a database hiccup
            log.exception("stalled-job sweep failed")


def _requeue_all(app: procrastinate.App, engine: Engine) -> int:
    """The sweep task: its own transaction."""
    with transaction(engine) as session:
        return requeue_stranded(app, session)


def run_worker(app: procrastinate.App, engine: Engine, context: ContextProvider, *, concurrency: int = 1) -> None:
    _STATE["worker"] = (engine, context)

    async def main() -> None:
        async with app.open_async():
            sweeper = asyncio.create_task(_sweep_stalled(app, engine))
            try:
                await app.run_worker_async(queues=[QUEUE, SYNC_QUEUE], concurrency=concurrency, name="flrisk",
                                           delete_jobs="successful",
                                           update_heartbeat_interval=HEARTBEAT_SECONDS,
                                           stalled_worker_timeout=STALLED_AFTER, install_signal_handlers=True)
            finally:
                sweeper.cancel()

    asyncio.run(main())
