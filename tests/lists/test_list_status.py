"""How complete and current a list is: partial by the official count, stale by the last check, failed updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from service.lists.snapshot import load_snapshot
from service.lists.status import ListStatus, current_statuses, warnings_for
from service.store.db import read_session, transaction
from service.store.tables import ListSource

SNAPSHOT_DAY = datetime(2026, 6, 26, tzinfo=UTC)  # the shipped UFLPA snapshot's date (fixtures/lists/manifest.json)


def _by_source(engine: Engine, now: datetime, max_age: int = 7) -> dict[str, ListStatus]:
    with read_session(engine) as session:
        return {s.source: s for s in current_statuses(session, default_max_age_days=max_age, now=now)}


def test_the_shipped_uflpa_list_is_partial_and_says_by_how_much(engine: Engine) -> None:
    with transaction(engine) as session:
        load_snapshot(session)
    statuses = _by_source(engine, SNAPSHOT_DAY + timedelta(days=1))
    uflpa = statuses["uflpa_entity_list"]
    assert uflpa.partial
    assert (uflpa.entry_count, uflpa.official_count) == (149, 187)
    assert uflpa.warnings() == [
        "UFLPA Entity List: 149 entities loaded; the official list had 187 after 2026-08-03."]
    assert not statuses["cbp_wro"].partial


def test_a_source_never_checked_ages_from_its_snapshot_date_and_a_check_resets_it(engine: Engine) -> None:
    with transaction(engine) as session:
        load_snapshot(session)
    assert not _by_source(engine, SNAPSHOT_DAY + timedelta(days=6))["uflpa_entity_list"].stale
    later = SNAPSHOT_DAY + timedelta(days=8)
    uflpa = _by_source(engine, later)["uflpa_entity_list"]
    assert uflpa.stale
    assert any("last checked against the official source on 2026-06-26, more than 7 days ago" in w
               for w in uflpa.warnings())
    with transaction(engine) as session:
        pointer = session.get(ListSource, "uflpa_entity_list")
        assert pointer is not None
        pointer.last_checked_at = later - timedelta(days=1)
        session.add(pointer)
    assert not _by_source(engine, later)["uflpa_entity_list"].stale
    # A source's own max age (from the sources file) overrides the default.
    with transaction(engine) as session:
        pointer = session.get(ListSource, "uflpa_entity_list")
        assert pointer is not None
        pointer.max_age_days = 30
        pointer.last_checked_at = later - timedelta(days=20)
        session.add(pointer)
    assert not _by_source(engine, later)["uflpa_entity_list"].stale


def test_a_failed_update_after_the_last_good_check_is_a_warning_an_older_one_is_not(engine: Engine) -> None:
    with transaction(engine) as session:
        load_snapshot(session)
    now = SNAPSHOT_DAY + timedelta(days=2)
    with transaction(engine) as session:
        pointer = session.get(ListSource, "cbp_wro")
        assert pointer is not None
        pointer.last_checked_at = now - timedelta(hours=5)
        pointer.last_error_at = now - timedelta(hours=1)
        pointer.last_error = "HTTP 404"
        session.add(pointer)
    statuses = _by_source(engine, now, max_age=3650)
    cbp = statuses["cbp_wro"]
    assert cbp.last_error is not None
    assert cbp.last_error.message == "HTTP 404"
    warnings = warnings_for(statuses.values())
    assert any(w.startswith("CBP withhold release order: the last update attempt on 2026-06-27 failed (HTTP 404)")
               for w in warnings)
    with transaction(engine) as session:
        pointer = session.get(ListSource, "cbp_wro")
        assert pointer is not None
        pointer.last_checked_at = now
        session.add(pointer)
    assert _by_source(engine, now, max_age=3650)["cbp_wro"].last_error is None
