"""An update running while other connections read never exposes a half-loaded version."""

import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.versions import LoadRequest, load_list
from service.store import lists_repo
from tests.factories import make_entries


def _load(engine: Engine, count: int, prefix: str) -> None:
    with Session(engine, expire_on_commit=False) as session:
        load_list(session, LoadRequest(source="ofac_sdn", entries=make_entries(count, prefix=prefix),
                                       origin=f"test {prefix}"), max_shrink_ratio=0.2)
        session.commit()


def test_readers_see_whole_versions_only(engine: Engine) -> None:
    _load(engine, 1000, "Base")
    stop = threading.Event()
    observations: list[tuple[int, int, int]] = []
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                with Session(engine) as session:
                    version = lists_repo.active_version(session, "ofac_sdn")
                    assert version is not None
                    assert version.id is not None
                    entries = lists_repo.entries_of(session, version.id)
                    observations.append((version.id, version.entry_count, len(entries)))
        except BaseException as exc:  # surfaced in the main thread's assertion
            failures.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i, count in enumerate((1200, 1100, 1300, 1250)):
        _load(engine, count, f"Round{i}")
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert len(observations) > 10
    assert all(count == seen for _, count, seen in observations)
    assert len({version for version, _, _ in observations}) >= 2  # reads overlapped several versions
