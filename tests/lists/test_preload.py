"""`flrisk serve --workers N` builds the active list view once before forking (service/prefork.py); each worker's
registry adopts it while those versions are still the active ones, and builds its own otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists import active
from service.lists.active import ListRegistry, preload
from service.lists.versions import LoadRequest, load_list
from service.screening.matcher import MatchQuery
from tests.factories import make_entry


def _load(engine: Engine, *names: str) -> None:
    entries = [make_entry(entry_id=str(i), name=name) for i, name in enumerate(names, start=1)]
    with Session(engine) as session:
        load_list(session, LoadRequest(source="ofac_sdn", entries=entries, origin="test", allow_shrink=True),
                  max_shrink_ratio=0.2)
        session.commit()


@pytest.fixture
def lists_engine(engine: Engine) -> Iterator[Engine]:
    _load(engine, "ACME TRADING CO LTD")
    yield engine
    active._preloaded = None  # module state: no other test adopts this view


class TestPreload:
    def test_a_registry_adopts_the_preloaded_view(self, lists_engine: Engine) -> None:
        built = preload(lists_engine)

        assert ListRegistry(lists_engine).current() is built

    def test_a_new_active_version_is_read_afresh(self, lists_engine: Engine) -> None:
        built = preload(lists_engine)
        _load(lists_engine, "ACME TRADING CO LTD", "ZENITH DYES LTD")

        view = ListRegistry(lists_engine).current()

        assert view is not built
        assert sorted(e.name for e in view.entries if e.source == "ofac_sdn") == ["ACME TRADING CO LTD",
                                                                                    "ZENITH DYES LTD"]
        assert [r.entry.name for r in view.index.match(MatchQuery("Zenith Dyes Limited"))] == ["ZENITH DYES LTD"]

    def test_only_the_first_refresh_adopts_it(self, lists_engine: Engine) -> None:
        preload(lists_engine)
        registry = ListRegistry(lists_engine)
        first = registry.current()
        _load(lists_engine, "ACME TRADING CO LTD", "ZENITH DYES LTD")

        assert registry.refresh() is True
        assert registry.current() is not first

