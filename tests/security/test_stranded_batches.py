"""Issue 17, item 7 (and the transient-error part of item 11): no batch is ever left `queued` without jobs.

On PostgreSQL the chunk jobs are deferred in the transaction that stores the batch; a replay, and the
workers' sweep, defer again any pending chunk that has no live job. Transient database errors are retried
without spending a chunk's attempts (both databases, in-process runner).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from procrastinate import exceptions as procrastinate_errors
from procrastinate.manager import JobManager
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from service.app import create_app
from service.jobs import worker
from service.jobs.runner import context_provider
from service.services.batches import Upload, create_batch
from service.settings import Settings
from service.store.tables import BatchChunkRow, BatchRow, IdempotencyRow
from tests.api.test_batches import wait_done
from tests.conftest import TABLES_IN_DELETE_ORDER, TEST_SECRET, add_key

CSV = "Vendor Name,Country\n" + "".join(f"Supplier {i} Trading Co,DE\n" for i in range(5))


@pytest.fixture
def pg_client(pg_engine: Engine) -> Iterator[TestClient]:
    """The real app on PostgreSQL with the procrastinate queue (no worker running), 500s answered, not raised."""
    with pg_engine.begin() as conn:
        for table in TABLES_IN_DELETE_ORDER:
            conn.execute(text(f"DELETE FROM {table}"))
    url = pg_engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, secret_key=TEST_SECRET, jobs_backend="procrastinate", batch_chunk_rows=2)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = add_key(client)
        yield client


class NoQueue:
    """What an earlier version left behind: the batch committed, its jobs never deferred."""

    def enqueue(self, batch_id: str, seqs: list[int], *, session: Session | None = None) -> None:
        pass

    def requeue_stranded(self, session: Session, batch_id: str | None = None) -> int:
        return 0


def _count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _jobs(engine: Engine, batch_id: str) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT (args->>'seq')::int, status FROM procrastinate_jobs WHERE "
                                 "task_name = 'flrisk.screen_chunk' AND args->>'batch_id' = :b ORDER BY 1"),
                            {"b": batch_id})
        return [(r[0], r[1]) for r in rows]


def _run_worker(client: TestClient) -> None:
    """A procrastinate worker in this process until the queue is empty."""
    state = client.app.state
    job_app = worker.make_app(state.settings.database_url)
    worker._STATE["worker"] = (state.engine, context_provider(state.registry, state.settings))

    async def run() -> None:
        async with job_app.open_async():
            await job_app.run_worker_async(queues=[worker.QUEUE], wait=False, install_signal_handlers=False)

    try:
        asyncio.run(run())
    finally:
        worker._STATE.pop("worker", None)


def _upload(client: TestClient, key: str) -> Any:
    return client.post("/v1/batches", files={"file": ("v.csv", CSV.encode())}, headers={"Idempotency-Key": key})


@pytest.mark.postgres
class TestOnPostgres:
    def test_failed_defer_stores_nothing_and_the_retry_finishes(self, pg_client: TestClient,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
        engine = pg_client.app.state.engine

        def broken(*args: object, **kwargs: object) -> None:
            raise procrastinate_errors.ConnectorException("connection to the job queue lost")

        with monkeypatch.context() as patch:
            patch.setattr(JobManager, "batch_defer_jobs", broken)
            failed = _upload(pg_client, "erp-run-1")
        assert failed.status_code == 500
        assert (_count(engine, BatchRow), _count(engine, BatchChunkRow), _count(engine, IdempotencyRow)) == (0, 0, 0)

        retried = _upload(pg_client, "erp-run-1")

        assert retried.status_code == 202, retried.text
        assert "Idempotent-Replayed" not in retried.headers
        batch_id = retried.json()["id"]
        assert _jobs(engine, batch_id) == [(0, "todo"), (1, "todo"), (2, "todo")]
        _run_worker(pg_client)
        assert pg_client.get(f"/v1/batches/{batch_id}").json()["status"] == "done"

    def test_replay_of_a_stranded_batch_queues_its_chunks(self, pg_client: TestClient) -> None:
        engine = pg_client.app.state.engine
        stranded = create_batch(engine, Upload(data=CSV.encode(), filename="v.csv", mapping_json=None, encoding=None,
                                               idempotency_key="erp-run-2", org_id="default", actor="test"),
                                NoQueue(), chunk_rows=2).batch
        assert _jobs(engine, stranded.id) == []

        replay = _upload(pg_client, "erp-run-2")

        assert replay.status_code == 202
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json()["id"] == stranded.id
        assert [seq for seq, _ in _jobs(engine, stranded.id)] == [0, 1, 2]
        _run_worker(pg_client)
        assert pg_client.get(f"/v1/batches/{stranded.id}").json()["status"] == "done"

    def test_workers_sweep_defers_job_less_chunks_once(self, pg_client: TestClient) -> None:
        engine = pg_client.app.state.engine
        upload = Upload(data=CSV.encode(), filename="v.csv", mapping_json=None, encoding=None, idempotency_key=None)
        stranded = create_batch(engine, upload, NoQueue(), chunk_rows=2).batch
        job_app = worker.make_app(pg_client.app.state.settings.database_url)

        first, second = worker._requeue_all(job_app, engine), worker._requeue_all(job_app, engine)

        assert first >= 3
        assert second == 0
        assert [seq for seq, _ in _jobs(engine, stranded.id)] == [0, 1, 2]


def test_transient_database_errors_spend_no_attempts(client: TestClient) -> None:
    engine: Engine = client.app.state.engine
    failures = itertools.count()

    def flaky(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("UPDATE batch_chunk SET status") and next(failures) < 5:
            raise OperationalError(statement, {}, ConnectionError("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", flaky)
    try:
        created = client.post("/v1/batches", files={"file": ("v.csv", b"Vendor Name\nAcme Trading Co\n")}).json()
        status = wait_done(client, created["id"])
    finally:
        event.remove(engine, "before_cursor_execute", flaky)

    assert next(failures) > 5  # every injected failure was met, more than MAX_ATTEMPTS of them
    assert status["status"] == "done"
    assert status["error"] is None
    with Session(engine) as session:
        assert [c.attempts for c in session.exec(select(BatchChunkRow))] == [1]
