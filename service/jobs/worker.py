"""Batch jobs on PostgreSQL with procrastinate: one job per chunk, any number of `flrisk worker`s.

A killed worker's job stays `doing` in procrastinate; every worker retries jobs of workers whose
heartbeat stopped (`STALLED_AFTER`). The chunk transaction itself is what makes this safe: a chunk
is screened and its results written in one transaction under a row lock, so a retried job either
finds the chunk done or screens it from scratch, and every row is screened exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import procrastinate
import procrastinate.schema
import psycopg
from sqlalchemy.engine import Engine, make_url

from service.jobs.chunks import ContextProvider, process_chunk

log = logging.getLogger(__name__)
QUEUE = "batches"
HEARTBEAT_SECONDS = 2.0
STALLED_AFTER = 10.0  # a worker silent this long is presumed dead; its jobs are retried
SWEEP_SECONDS = 5.0


def conninfo(database_url: str) -> str:
    """libpq connection string from an SQLAlchemy URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_app(database_url: str) -> procrastinate.App:
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

    @app.task(name="flrisk.rescreen_suppliers", queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=5, wait=5))
    def rescreen_suppliers(round_id: str, seq: int) -> None:  # monitored suppliers, after a list change
        from service.monitoring.jobs import rescreen_chunk

        state = _STATE.get("worker")
        if state is None:
            raise RuntimeError("rescreen_suppliers runs only inside `flrisk worker`")
        rescreen_chunk(state[0], state[1], round_id, seq)

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

    def enqueue(self, batch_id: str, seqs: Sequence[int]) -> None:
        task = self._app.tasks["flrisk.screen_chunk"]
        task.batch_defer(*({"batch_id": batch_id, "seq": seq} for seq in seqs))

    def defer(self, task: str, jobs: Sequence[dict[str, Any]]) -> None:
        """Defer any task registered in `make_app` (e.g. re-screen chunks), one job per kwargs dict."""
        if jobs:
            self._app.tasks[task].batch_defer(*jobs)

    def resume(self) -> int:  # workers recover on their own (stalled-job sweep)
        return 0

    def drain(self) -> None:  # pragma: no cover - only the inline runner can be drained
        raise NotImplementedError

    def shutdown(self) -> None:
        self._app.close()


async def _sweep_stalled(app: procrastinate.App) -> None:
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=STALLED_AFTER):
                log.warning("retrying stalled job %s (%s)", job.id, job.task_kwargs)
                await app.job_manager.retry_job(job)
        except Exception:  # the sweep must outlive a database hiccup
            log.exception("stalled-job sweep failed")


def run_worker(app: procrastinate.App, engine: Engine, context: ContextProvider, *, concurrency: int = 1) -> None:
    _STATE["worker"] = (engine, context)

    async def main() -> None:
        async with app.open_async():
            sweeper = asyncio.create_task(_sweep_stalled(app))
            try:
                await app.run_worker_async(queues=[QUEUE], concurrency=concurrency, name="flrisk",
                                           delete_jobs="successful",
                                           update_heartbeat_interval=HEARTBEAT_SECONDS,
                                           stalled_worker_timeout=STALLED_AFTER, install_signal_handlers=True)
            finally:
                sweeper.cancel()

    asyncio.run(main())
