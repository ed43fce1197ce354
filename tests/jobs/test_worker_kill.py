"""Two real `flrisk worker` processes on PostgreSQL; one is SIGKILLed mid-chunk; every row is screened once."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from benchmarks.names import company_name
from service.bootstrap import prepare_database
from service.jobs.worker import ProcrastinateQueue, ensure_schema, make_app
from service.services.batches import Upload, create_batch
from service.settings import Settings
from service.store import batches_repo
from service.store.db import transaction
from service.store.tables import BatchChunkRow
from tests.check.test_check_cli import free_port

pytestmark = pytest.mark.postgres
FLRISK = str(Path(sys.executable).parent / "flrisk")
ROWS, CHUNK = 3000, 150


def _csv(rows: int) -> bytes:
    rng = random.Random(5)
    lines = ["Vendor ID,Vendor Name,Country"] + [f"V{i},\"{company_name(rng)[0]}\",CN" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _worker(url: str, log: Path, metrics_port: int = 0) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_LOG_LEVEL": "INFO"}
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would stall the worker
        return subprocess.Popen([FLRISK, "worker", "--metrics-port", str(metrics_port)], env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def _rows_counted(port: int) -> float:
    """flrisk_batch_rows_total summed over verdicts, from the worker's own metrics endpoint."""
    text_ = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text_.splitlines()
               if line.startswith("flrisk_batch_rows_total{"))


def _doing_jobs(engine: Engine) -> list[tuple[int, int | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, worker_id FROM procrastinate_jobs WHERE status = 'doing'"))
        return [(r[0], r[1]) for r in rows]


def test_killed_worker_leaves_every_row_screened_exactly_once(pg_engine: Engine, tmp_path: Path) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url)
    prepare_database(pg_engine, settings)
    job_app = make_app(url)
    ensure_schema(url)
    with transaction(pg_engine) as session:
        created = create_batch(session, Upload(data=_csv(ROWS), filename="kill.csv", mapping_json=None,
                                               encoding=None, idempotency_key=None),
                               ProcrastinateQueue(job_app), chunk_rows=CHUNK)
    batch_id = created.batch.id
    metrics_port = free_port()
    first, second = _worker(url, tmp_path / "first.log"), _worker(url, tmp_path / "second.log", metrics_port)
    killed_job = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and killed_job is None:
            with Session(pg_engine) as session:
                batch = batches_repo.for_job(session, batch_id)
                assert batch is not None
                progressed = batch.chunks_done >= 2
            doing = _doing_jobs(pg_engine)
            if progressed and len(doing) == 2:
                killed_job = doing[0][0]
                first.send_signal(signal.SIGKILL)  # mid-chunk: it holds a job in `doing`
            time.sleep(0.05)
        assert killed_job is not None, "workers never ran two chunks at once"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with Session(pg_engine) as session:
                batch = batches_repo.for_job(session, batch_id)
                assert batch is not None
                if batch.status in ("done", "failed"):
                    break
            time.sleep(0.5)
        survivor_rows = _rows_counted(metrics_port)
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with Session(pg_engine) as session:
        batch = batches_repo.for_job(session, batch_id)
        assert batch is not None
        assert batch.status == "done"
        assert batch.rows_done == ROWS
        assert sum(batch.counts.values()) == ROWS
        chunks = list(session.exec(select(BatchChunkRow)
                                   .where(BatchChunkRow.batch_id == batch_id)))
        indices = [r["i"] for c in chunks for r in c.results or []]
        assert sorted(indices) == list(range(ROWS))  # each row exactly once
        assert all(c.status == "done" for c in chunks)
    # the surviving worker's own metrics show what it screened: most of the batch (the other died early)
    assert ROWS // 2 <= survivor_rows <= ROWS
