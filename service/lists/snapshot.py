"""The shipped list snapshot in `fixtures/lists/`, loaded on first start."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlmodel import Session

from service.lists.parsers.snapshot_csv import read_snapshot_csv
from service.lists.versions import LoadOutcome, LoadRequest, load_list
from service.paths import fixtures_dir
from service.store import lists_repo


@dataclass(frozen=True)
class SnapshotSource:
    source: str
    file: str
    snapshot_date: str
    coverage_note: str
    official_count: int | None
    official_count_date: str | None


@cache
def manifest() -> dict[str, SnapshotSource]:
    data: dict[str, Any] = json.loads((fixtures_dir() / "lists" / "manifest.json").read_text("utf-8"))
    return {
        source: SnapshotSource(source=source, file=v["file"], snapshot_date=v["snapshot_date"],
                               coverage_note=v["coverage_note"], official_count=v.get("official_count"),
                               official_count_date=v.get("official_count_date"))
        for source, v in data["sources"].items()
    }


def load_snapshot(session: Session, *, only_missing: bool = True, max_shrink_ratio: float = 0.2
                  ) -> list[LoadOutcome]:
    """Load every snapshot source (by default only those without an active version)."""
    outcomes = []
    active = lists_repo.active_pointers(session)
    for spec in manifest().values():
        if only_missing and spec.source in active:
            continue
        path = fixtures_dir() / "lists" / spec.file
        entries = read_snapshot_csv(path, source=spec.source)
        outcomes.append(load_list(session, LoadRequest(
            source=spec.source, entries=entries, origin=f"snapshot:fixtures/lists/{spec.file}",
            snapshot_date=spec.snapshot_date, coverage_note=spec.coverage_note, actor="bootstrap",
            official_count=spec.official_count, official_count_date=spec.official_count_date,
        ), max_shrink_ratio=max_shrink_ratio))
    return outcomes
