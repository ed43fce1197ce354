from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.errors import ListFormatError, ListLoadError
from service.lists.parsers.detect import content_hash
from service.lists.parsers.snapshot_csv import read_snapshot_csv
from service.lists.snapshot import load_snapshot, manifest
from service.lists.versions import LoadRequest, ShrinkRefusedError, load_list
from service.store import lists_repo
from tests.factories import make_entries, make_entry


def _load(engine: Engine, entries: list, *, allow_shrink: bool = False, source: str = "ofac_sdn"):
    with Session(engine, expire_on_commit=False) as session:
        outcome = load_list(session, LoadRequest(source=source, entries=entries, origin="test",
                                                 allow_shrink=allow_shrink), max_shrink_ratio=0.2)
        session.commit()
    return outcome


class TestLoadList:
    def test_first_load_activates(self, engine: Engine) -> None:
        outcome = _load(engine, make_entries(10))
        assert outcome.status == "loaded"
        with Session(engine) as session:
            active = lists_repo.active_version(session, "ofac_sdn")
            assert active is not None
            assert active.id == outcome.version_id
            assert active.entry_count == 10
            assert [e.name for e in lists_repo.entries_of(session, outcome.version_id)][:2] == [
                "Entity Number 0 Co Ltd", "Entity Number 1 Co Ltd"]

    def test_identical_content_is_a_no_op(self, engine: Engine) -> None:
        first = _load(engine, make_entries(10))
        second = _load(engine, list(reversed(make_entries(10))))
        assert second.status == "unchanged"
        assert second.version_id == first.version_id
        assert "identical" in second.message
        with Session(engine) as session:
            assert len(lists_repo.versions_of(session, "ofac_sdn")) == 1

    def test_new_content_keeps_old_version(self, engine: Engine) -> None:
        first = _load(engine, make_entries(10))
        second = _load(engine, make_entries(11))
        assert second.status == "loaded"
        assert second.previous_count == 10
        with Session(engine) as session:
            versions = lists_repo.versions_of(session, "ofac_sdn")
            assert [v.id for v in versions] == [second.version_id, first.version_id]
            assert len(lists_repo.entries_of(session, first.version_id)) == 10

    def test_shrink_over_limit_refused_and_active_kept(self, engine: Engine) -> None:
        first = _load(engine, make_entries(100))
        with pytest.raises(ShrinkRefusedError, match=r"from 100 to 79 entries \(21.0% fewer"):
            _load(engine, make_entries(79))
        with Session(engine) as session:
            active = lists_repo.active_version(session, "ofac_sdn")
            assert active is not None
            assert active.id == first.version_id
            assert len(lists_repo.versions_of(session, "ofac_sdn")) == 1

    def test_shrink_allowed_with_flag(self, engine: Engine) -> None:
        _load(engine, make_entries(100))
        assert _load(engine, make_entries(50), allow_shrink=True).entry_count == 50

    def test_shrink_within_limit_loads(self, engine: Engine) -> None:
        _load(engine, make_entries(100))
        assert _load(engine, make_entries(80)).status == "loaded"

    def test_empty_list_refused(self, engine: Engine) -> None:
        with pytest.raises(ListLoadError, match="no entries"):
            _load(engine, [])

    def test_wrong_source_refused(self, engine: Engine) -> None:
        with pytest.raises(ListLoadError, match="expected 'ofac_sdn'"):
            _load(engine, [make_entry(source="cbp_wro")])


class TestContentHash:
    def test_order_independent_and_content_sensitive(self) -> None:
        entries = make_entries(5)
        assert content_hash(entries) == content_hash(list(reversed(entries)))
        assert content_hash(entries) != content_hash([*entries[:4], make_entry(entry_id="4", name="Other")])


class TestSnapshot:
    def test_loads_every_source_with_real_counts(self, engine: Engine) -> None:
        with Session(engine) as session:
            outcomes = load_snapshot(session)
            session.commit()
        counts = {o.source: o.entry_count for o in outcomes}
        assert counts == {"uflpa_entity_list": 149, "cbp_wro": 41, "ofac_sdn": 12, "bis_entity_list": 5}
        with Session(engine) as session:
            assert load_snapshot(session) == []  # only missing sources are loaded

    def test_every_entry_keeps_its_citation(self) -> None:
        from service.paths import fixtures_dir

        for spec in manifest().values():
            entries = read_snapshot_csv(fixtures_dir() / "lists" / spec.file, source=spec.source)
            assert all(e.citation for e in entries), spec.source


class TestCorruptFileKeepsActive:
    def test_bad_file_refused_and_previous_version_readable(self, engine: Engine, tmp_path: Path) -> None:
        first = _load(engine, make_entries(10, source="uflpa_entity_list"), source="uflpa_entity_list")
        bad = tmp_path / "bad.csv"
        bad.write_bytes("list_id,name\nx-1,新疆棉业\n".encode("gbk"))
        with pytest.raises(ListFormatError, match="bad.csv, line 2"):
            read_snapshot_csv(bad, source="uflpa_entity_list")
        with Session(engine) as session:
            active = lists_repo.active_version(session, "uflpa_entity_list")
            assert active is not None
            assert active.id == first.version_id
            assert len(lists_repo.entries_of(session, first.version_id)) == 10
