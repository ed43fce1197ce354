"""The process-wide view of the active relation versions, joined with the active lists.

Like `service.lists.active.ListRegistry`: a daemon thread polls the tiny `relation_source` table and reads
the new versions when a pointer moved. The view screening uses also depends on the lists (entries, their
group wording and own relations), so it is rebuilt when either side changes, and swapped in by one
reference assignment: a screening in flight keeps the view it started with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.active import ActiveLists
from service.relations.from_lists import list_relations
from service.relations.model import Loaded
from service.screening.relations import Org, Relation, RelationsView
from service.store import relations_repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredRelations:
    pointers: dict[str, int]
    labels: dict[str, str]  # "relations:<source>" -> "v<id> sha256:<prefix> as of <date>"
    orgs: tuple[Org, ...]
    relations: tuple[Relation, ...]


def read_stored(engine: Engine) -> StoredRelations:
    orgs: list[Org] = []
    relations: list[Relation] = []
    with Session(engine) as session:
        versions = relations_repo.active_versions(session)
        for v in versions:
            assert v.id is not None
            orgs.extend(relations_repo.orgs_of(session, v.id))
            relations.extend(relations_repo.relations_of(session, v.id))
    labels = {f"relations:{v.source}": f"v{v.id} sha256:{v.content_hash[:12]} as of {v.snapshot_date}"
              for v in versions}
    return StoredRelations({v.source: v.id for v in versions if v.id is not None}, labels, tuple(orgs),
                           tuple(relations))


def build_view(stored: StoredRelations, lists: ActiveLists, *, max_hops: int) -> RelationsView:
    entries = {(e.source, e.entry_id): e for e in lists.entries}
    return RelationsView.build(stored.orgs, (*stored.relations, *list_relations(lists.entries)), entries,
                               max_hops=max_hops, today=date.today(), versions=stored.labels)


def files_view(loaded: Sequence[Loaded], labels: Mapping[str, str], lists: ActiveLists, *,
               max_hops: int) -> RelationsView:
    """A view over relations read from files, without a database (`flrisk check --relations`)."""
    stored = StoredRelations({}, dict(labels), tuple(o for part in loaded for o in part.orgs),
                             tuple(r for part in loaded for r in part.relations))
    return build_view(stored, lists, max_hops=max_hops)


class RelationsRegistry:
    def __init__(self, engine: Engine, *, max_hops: int, poll_seconds: float = 2.0) -> None:
        self._engine = engine
        self._hops = max_hops
        self._poll = poll_seconds
        self._lock = threading.Lock()
        self._stored: StoredRelations | None = None
        self._view: tuple[ActiveLists, StoredRelations, date, RelationsView] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def max_hops(self) -> int:
        return self._hops

    def stored(self) -> StoredRelations:
        stored = self._stored
        if stored is None:
            self.refresh()
            stored = self._stored
        assert stored is not None
        return stored

    def refresh(self) -> bool:
        """Re-read the stored relations if any active pointer moved; True when they were."""
        with self._lock:
            with Session(self._engine) as session:
                pointers = relations_repo.active_pointers(session)
            if self._stored is not None and self._stored.pointers == pointers:
                return False
            self._stored = read_stored(self._engine)
        log.info("relations reloaded: %s (%d relations)", self._stored.labels, len(self._stored.relations))
        return True

    def view_for(self, lists: ActiveLists) -> RelationsView:
        """The view over `lists` and the current relation versions; built once per change of either."""
        stored, today = self.stored(), date.today()
        cached = self._view
        if cached is not None and cached[0] is lists and cached[1] is stored and cached[2] == today:
            return cached[3]
        with self._lock:
            cached = self._view
            if cached is None or cached[0] is not lists or cached[1] is not stored or cached[2] != today:
                cached = self._view = (lists, stored, today, build_view(stored, lists, max_hops=self._hops))
        return cached[3]

    def start_polling(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="relations-poll", daemon=True)
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
                log.exception("relations version poll failed")
