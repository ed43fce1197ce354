"""The process-wide view of the active list versions and the match index built over them.

Every API and worker process holds one `ListRegistry`. A daemon thread polls the tiny
`list_source` table; when an active pointer moved, it reads the new versions' entries, builds a
fresh index and swaps it in with one reference assignment. Screenings in flight keep the
`ActiveLists` object they started with, so each sees one consistent set of versions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from service.screening.matcher import MatchIndex
from service.screening.model import ListEntry
from service.screening.region_orders import is_xpcc_order
from service.store import lists_repo
from service.store.db import read_session
from service.store.tables import ListSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionInfo:
    id: int
    source: str
    content_hash: str
    entry_count: int
    loaded_at: datetime
    snapshot_date: str | None
    coverage_note: str | None = None
    official_count: int | None = None  # the official publication's count, when known to differ
    official_count_date: str | None = None


@dataclass(frozen=True)
class SourceCheck:
    """A source's sync status (its `list_source` row): changes without a new version when a check finds
    nothing new, so the view keeps it apart from the versions and the poll refreshes it."""

    last_checked_at: datetime | None = None
    last_changed_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    max_age_days: int | None = None

    @classmethod
    def of(cls, row: ListSource) -> SourceCheck:
        return cls(row.last_checked_at, row.last_changed_at, row.last_error_at, row.last_error, row.max_age_days)


@dataclass(frozen=True)
class ActiveLists:
    versions: dict[str, VersionInfo]
    entries: tuple[ListEntry, ...]
    index: MatchIndex = field(repr=False)
    # Region-wide orders (e.g. the CBP XUAR cotton/tomato WRO) apply as rules, not by name.
    region_orders: tuple[ListEntry, ...] = ()
    xpcc_orders: tuple[ListEntry, ...] = ()
    checks: dict[str, SourceCheck] = field(default_factory=dict)  # source -> its last check, error, max age
    # What results say about these lists (service/lists/usage.py), computed once per view, not per screening.
    usage_cache: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def from_entries(cls, versions: dict[str, VersionInfo], entries: list[ListEntry],
                     checks: dict[str, SourceCheck] | None = None) -> ActiveLists:
        """Index the entries and set aside the orders that apply as rules (region-wide, XPCC-scoped)."""
        return cls(versions=versions, entries=tuple(entries), index=MatchIndex.build(entries),
                   region_orders=tuple(e for e in entries if not e.match_by_name),
                   xpcc_orders=tuple(e for e in entries if e.match_by_name and is_xpcc_order(e)),
                   checks=checks or {})

    def with_checks(self, checks: dict[str, SourceCheck]) -> ActiveLists:
        """The same versions and index with newer sync status (a check that found nothing new)."""
        return replace(self, checks=checks)

    @property
    def pointers(self) -> dict[str, int]:
        return {s: v.id for s, v in self.versions.items()}

    def version_labels(self) -> dict[str, str]:
        """source -> "v<id> <hash prefix> (<snapshot date>)", the form stored with every result."""
        return {s: f"v{v.id} sha256:{v.content_hash[:12]} as of {v.snapshot_date}"
                for s, v in sorted(self.versions.items())}


def read_active(engine: Engine) -> ActiveLists:
    with read_session(engine) as session:
        versions = lists_repo.active_versions(session)
        checks = checks_of(lists_repo.pointers(session))
        entries: list[ListEntry] = []
        for v in versions:
            assert v.id is not None
            entries.extend(lists_repo.entries_of(session, v.id))
    infos = {v.source: VersionInfo(v.id, v.source, v.content_hash, v.entry_count, v.loaded_at, v.snapshot_date,
                                   v.coverage_note, v.official_count, v.official_count_date)
             for v in versions if v.id is not None}
    return ActiveLists.from_entries(infos, entries, checks)


def checks_of(rows: dict[str, ListSource]) -> dict[str, SourceCheck]:
    return {source: SourceCheck.of(row) for source, row in rows.items()}


_preloaded: ActiveLists | None = None  # built before `flrisk serve` forks its workers (service/prefork.py)


def preload(engine: Engine) -> ActiveLists:
    """Build the active view now; a registry's first refresh adopts it while those versions are still active."""
    global _preloaded
    _preloaded = read_active(engine)
    return _preloaded


class ListRegistry:
    def __init__(self, engine: Engine, *, poll_seconds: float = 2.0) -> None:
        self._engine = engine
        self._poll = poll_seconds
        self._lock = threading.Lock()
        self._current: ActiveLists | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Called with the new active pointers after a new view is swapped in (monitoring re-screens).
        self.on_change: Callable[[dict[str, int]], None] | None = None

    @property
    def engine(self) -> Engine:
        return self._engine

    def current(self) -> ActiveLists:
        current = self._current
        if current is None:
            self.refresh()
            current = self._current
        assert current is not None
        return current

    def refresh(self) -> bool:
        """Rebuild if any active pointer moved; True when a new view was swapped in. A source checked since
        (same versions, new sync status) only updates the view's status, in the same poll query."""
        with self._lock:
            with read_session(self._engine) as session:
                rows = lists_repo.pointers(session)
            pointers = {source: row.active_version_id for source, row in rows.items()}
            checks = checks_of(rows)
            current = self._current
            if current is not None and current.pointers == pointers:
                if current.checks != checks:
                    self._current = current.with_checks(checks)
                return False
            started = time.perf_counter()
            shared = _preloaded if current is None else None
            fresh = shared if shared is not None and shared.pointers == pointers else read_active(self._engine)
            if fresh.checks != checks:
                fresh = fresh.with_checks(checks)
            self._current = fresh
            log.info("list view rebuilt: %s (%d entries, %.2fs)", fresh.version_labels(),
                     len(fresh.entries), time.perf_counter() - started)
        listener = self.on_change
        if listener is not None:  # outside the lock; the listener never raises
            listener(fresh.pointers)
        return True

    def start_polling(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="list-poll", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._poll):
            try:
                self.refresh()
            except Exception:  # a database hiccup must not kill the poller; next tick retries
                log.exception("list version poll failed")
