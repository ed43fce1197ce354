"""What a new list version changed against the one it replaces: entries added, removed and changed.

Entries are paired by entry id (ids carry over between versions, service/lists/ids.py). A change names the
fields that differ among those a person reviewing a list update cares about: the name, the aliases, the
sections (legal basis) and the dates; a re-worded citation alone is not a change of the listing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.screening.model import ListEntry

FIELDS = ("name", "aliases", "chinese_names", "legal_basis", "date_listed", "section_dates", "status")


@dataclass(frozen=True)
class ListChanges:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def brief(entry: ListEntry) -> dict[str, Any]:
    return {"entry_id": entry.entry_id, "name": entry.name}


def _fields(entry: ListEntry) -> dict[str, Any]:
    return {"name": entry.name, "aliases": sorted(entry.aliases), "chinese_names": sorted(entry.chinese_names),
            "legal_basis": entry.legal_basis,
            "date_listed": entry.date_listed.isoformat() if entry.date_listed else None,
            "section_dates": entry.extra.get("section_dates"), "status": entry.extra.get("status")}


def diff(previous: Sequence[ListEntry], current: Sequence[ListEntry]) -> ListChanges:
    """The difference from `previous` to `current`, each part sorted by entry id."""
    before = {e.entry_id: e for e in previous}
    after = {e.entry_id: e for e in current}
    changes = ListChanges(
        added=[brief(after[i]) for i in sorted(after.keys() - before.keys())],
        removed=[brief(before[i]) for i in sorted(before.keys() - after.keys())],
    )
    for entry_id in sorted(after.keys() & before.keys()):
        old, new = _fields(before[entry_id]), _fields(after[entry_id])
        fields = {k: {"before": old[k], "after": new[k]} for k in FIELDS if old[k] != new[k]}
        if fields:
            changes.changed.append({**brief(after[entry_id]), "fields": fields})
    return changes
