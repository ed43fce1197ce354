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
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from service.screening.matcher import MatchIndex
from service.screening.model import ListEntry
from service.screening.region_orders import is_xpcc_order
from service.store import lists_repo
from service.store.db import read_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VersionInfo:
    id: int
    source: str
    content_hash: str
    entry_count: int
    loaded_at: datetime
    snapshot_date: str | None


@dataclass(frozen=True)
class ActiveLists:
    versions: dict[str, VersionInfo]
    entries: tuple[ListEntry, ...]
    index: MatchIndex = field(repr=False)
    # Region-wide orders (e.g. the CBP XUAR cotton/tomato WRO) apply as rules, not by name.
    region_orders: tuple[ListEntry, ...] = ()
    xpcc_orders: tuple[ListEntry, ...] = ()

    @classmethod
    def from_entries(cls, versions: dict[str, VersionInfo], entries: list[ListEntry]) -> ActiveLists:
        """Index the entries and set aside the orders that apply as rules (region-wide, XPCC-scoped)."""
        return cls(versions=versions, entries=tuple(entries), index=MatchIndex.build(entries),
                   region_orders=tuple(e for e in entries if not e.match_by_name),
                   xpcc_orders=tuple(e for e in entries if e.match_by_name and is_xpcc_order(e)))

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
        entries: list[ListEntry] = []
        for v in versions:
            assert v.id is not None
            entries.extend(lists_repo.entries_of(session, v.id))
    infos = {v.source: VersionInfo(v.id, v.source, v.content_hash, v.entry_count, v.loaded_at, v.snapshot_date)
             for v in versions if v.id is not None}
    return ActiveLists.from_entries(infos, entries)


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
        """Rebuild if any active pointer moved; True when a new view was swapped in."""
        with self._lock:
            with read_session(self._engine) as session:
                pointers = lists_repo.active_pointers(session)
            if self._current is not None and self._current.pointers == pointers:
                return False
            started = time.perf_counter()
            shared = _preloaded if self._current is None else None
            fresh = shared if shared is not None and shared.pointers == pointers else read_active(self._engine)
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
