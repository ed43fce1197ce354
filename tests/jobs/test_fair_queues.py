"""Fair turns between batches (issue 18): the rotation itself, the in-process runner (SQLite and PostgreSQL) and
the procrastinate job priorities (PostgreSQL). Timing figures are in benchmarks/batch_throughput.py --small-behind."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.jobs.fair import Rotation, order
from service.jobs.worker import ProcrastinateQueue, make_app, queue_positions
from service.services.batches import Upload, create_batch
from service.settings import Settings
from service.store import batches_repo
from tests.api.test_batches import wait_done
from tests.conftest import TEST_SECRET
from tests.security.test_stranded_batches import _run_worker, pg_client  # noqa: F401 (fixture)


def rows(n: int, prefix: str = "Supplier") -> bytes:
    return ("Vendor Name,Country\n" + "".join(f"{prefix} {i} Trading Co,DE\n" for i in range(n))).encode()


class TestRotation:
    def test_organisations_then_batches_take_turns(self) -> None:
        served = order([("a", "big", "b1"), ("a", "big", "b2"), ("a", "big", "b3"), ("a", "small", "s1"),
                        ("b", "other", "o1"), ("b", "other", "o2")])
        assert served == ["b1", "o1", "s1", "o2", "b2", "b3"]

    def test_a_newcomer_waits_one_turn_and_positions_say_so(self) -> None:
        rotation: Rotation[int] = Rotation()
        for seq in range(100):
            rotation.push("org", "big", seq)
        assert rotation.pop() == ("org", "big", 0)
        rotation.push("org", "small", 0)
        rotation.push("org", "small", 1)
        assert rotation.positions() == {"big": 1, "small": 2}
        assert [rotation.pop()[1] for _ in range(4)] == ["big", "small", "big", "small"]  # type: ignore[index]
        assert len(rotation) == 97

    def test_an_item_is_queued_once(self) -> None:
        rotation: Rotation[int] = Rotation()
        rotation.push("o", "b", 1)
        rotation.push("o", "b", 1)
        assert len(rotation) == 1


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, jobs_backend="inline", batch_chunk_rows=2, secret_key=TEST_SECRET)


def test_a_small_batch_finishes_while_a_large_one_runs(client: TestClient) -> None:
    """In-process runner: 2 rows uploaded behind 600 (300 chunks) finish long before the large batch."""
    big = client.post("/v1/batches", files={"file": ("big.csv", rows(600))}).json()
    small = client.post("/v1/batches", files={"file": ("small.csv", rows(2, "Acme"))})
    assert small.status_code == 202
    assert 1 <= small.json()["queue_position"] <= 3
    deadline = time.monotonic() + 60
    while client.get(f"/v1/batches/{small.json()['id']}").json()["status"] != "done":  # no drain: the large runs on
        assert time.monotonic() < deadline
        time.sleep(0.02)
    large = client.get(f"/v1/batches/{big['id']}").json()
    assert large["rows_done"] < 600  # the small one did not wait for the large one
    assert large["queue_position"] is not None
    assert wait_done(client, big["id"])["rows_done"] == 600


def _priorities(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT args->>'batch_id', (args->>'seq')::int FROM procrastinate_jobs "
                                  "WHERE status = 'todo' ORDER BY priority DESC, id"))
        return [(r[0], r[1]) for r in found]


@pytest.fixture
def pg_engine_jobs(pg_client: TestClient) -> tuple[TestClient, Engine]:  # noqa: F811
    return pg_client, pg_client.app.state.engine


@pytest.mark.postgres
def test_postgres_jobs_take_turns_by_organisation_and_batch(pg_engine_jobs: tuple[TestClient, Engine]) -> None:
    client, engine = pg_engine_jobs
    with engine.begin() as conn:  # jobs other tests left in this session's database would take turns too
        conn.execute(text("DELETE FROM procrastinate_jobs"))
    queue = ProcrastinateQueue(make_app(client.app.state.settings.database_url))
    try:
        def batch(org: str, n: int) -> str:
            upload = Upload(data=rows(n, org), filename=f"{org}.csv", mapping_json=None, encoding=None,
                            idempotency_key=None, org_id=org, actor="test")
            return create_batch(engine, upload, queue, chunk_rows=2).batch.id

        big, small, other = batch("acme", 8), batch("acme", 2), batch("beta", 4)
    finally:
        queue.shutdown()
    order_ = _priorities(engine)
    assert [b for b, _ in order_] == [big, other, small, other, big, big, big]
    assert [s for b, s in order_ if b == big] == [0, 1, 2, 3]
    with Session(engine) as session:
        assert queue_positions(session, [big, small, other]) == {big: 1, other: 2, small: 3}
    _run_worker(client)
    with Session(engine) as session:
        assert {b.status for b in batches_repo.get_many(session, [big, small, other])} == {"done"}
