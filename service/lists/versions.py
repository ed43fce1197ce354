"""Versioned, atomic list loads: a new version is written whole, then the active pointer flips."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlmodel import Session

from service.lists.changes import ListChanges, diff
from service.lists.errors import ListLoadError
from service.lists.ids import carry_ids
from service.lists.parsers.detect import content_hash
from service.observability.logging import redact
from service.screening.model import ListEntry
from service.store import auth_repo, lists_repo
from service.store.tables import GLOBAL_ORG, ListChangeRow, ListVersion

SHRINK_ALERT_RATIO = 0.05  # a version with over 5 % fewer entries is loaded (within the guard) but flagged


class ShrinkRefusedError(ListLoadError):
    """The update would drop too many entries at once; likely a truncated upstream file."""


@dataclass(frozen=True)
class LoadRequest:
    source: str
    entries: Sequence[ListEntry]
    origin: str
    snapshot_date: str | None = None
    coverage_note: str | None = None
    allow_shrink: bool = False
    actor: str = "cli"
    official_count: int | None = None  # the official publication's entity count, when more than loaded
    official_count_date: str | None = None


@dataclass(frozen=True)
class LoadOutcome:
    status: Literal["loaded", "unchanged"]
    source: str
    version_id: int
    entry_count: int
    previous_count: int | None
    message: str
    changes: ListChanges | None = None
    shrink: float = 0.0  # share of the previous entries gone: 0.25 = 25 % fewer


def load_list(session: Session, req: LoadRequest, *, max_shrink_ratio: float) -> LoadOutcome:
    """Write a new version and make it active in the caller's transaction, or say why not. The origin and
    coverage note are stored redacted: a URL's user, password and query string never reach a reader."""
    if not req.entries:
        raise ListLoadError(f"{redact(req.origin)}: no entries found; refusing to activate an empty {req.source} list")
    wrong = {e.source for e in req.entries} - {req.source}
    if wrong:
        raise ListLoadError(f"entries carry source(s) {sorted(wrong)}, expected {req.source!r}")
    current = lists_repo.active_version(session, req.source)
    # The same entity keeps its id across versions, so decisions and evidence keep pointing at it.
    previous_entries = lists_repo.entries_of(session, current.id) if current and current.id else []
    req = replace(req, entries=carry_ids(req.entries, previous_entries), origin=redact(req.origin))
    digest = content_hash(req.entries)
    previous = current.entry_count if current else None
    if current is not None and current.content_hash == digest:
        assert current.id is not None
        return LoadOutcome("unchanged", req.source, current.id, current.entry_count, previous,
                           f"{req.source}: content identical to active version {current.id}; nothing loaded")
    if current is not None and not req.allow_shrink:
        _check_shrink(req.source, current.entry_count, len(req.entries), max_shrink_ratio)
    version = lists_repo.add_version(session, ListVersion(
        source=req.source, content_hash=digest, entry_count=len(req.entries), origin=req.origin,
        snapshot_date=req.snapshot_date or date.today().isoformat(),
        coverage_note=redact(req.coverage_note) if req.coverage_note else default_coverage_note(req),
        official_count=req.official_count, official_count_date=req.official_count_date,
    ), req.entries)
    assert version.id is not None
    lists_repo.activate(session, req.source, version.id)
    changes = diff(previous_entries, req.entries)
    lists_repo.add_change(session, ListChangeRow(
        version_id=version.id, source=req.source, previous_version_id=current.id if current else None,
        added=changes.added, removed=changes.removed, changed=changes.changed))
    shrink = shrink_ratio(previous, len(req.entries))
    _audit(session, req, version, previous, changes, shrink)
    message = (f"{req.source}: loaded version {version.id} with {len(req.entries)} entries"
               + (f" (was {previous}); {changes.summary()}" if previous is not None else ""))
    if shrink:
        message += f"; the list shrank by {shrink:.1%}"
        if shrink > SHRINK_ALERT_RATIO:
            message += f" (over {SHRINK_ALERT_RATIO:.0%}: administrators alerted)"
    return LoadOutcome("loaded", req.source, version.id, len(req.entries), previous, message, changes, shrink)


def shrink_ratio(before: int | None, after: int) -> float:
    return (before - after) / before if before and after < before else 0.0


def _audit(session: Session, req: LoadRequest, version: ListVersion, previous: int | None, changes: ListChanges,
           shrink: float) -> None:
    # Lists are shared by every organisation: the events are global ("*") and show in every audit trail.
    details = {"version_id": version.id, "entries": len(req.entries), "previous": previous, "origin": req.origin,
               "added": len(changes.added), "removed": len(changes.removed), "changed": len(changes.changed),
               "shrink_pct": round(shrink * 100, 1)}
    auth_repo.add_event(session, org_id=GLOBAL_ORG, actor=req.actor, type="list.updated", subject=req.source,
                        request_hash=version.content_hash, details=details)
    if shrink > SHRINK_ALERT_RATIO:
        auth_repo.add_event(session, org_id=GLOBAL_ORG, actor=req.actor, type="list.shrink_alert",
                            subject=req.source, request_hash=version.content_hash,
                            details={**details, "removed_entries": changes.removed[:50]})


def _check_shrink(source: str, before: int, after: int, max_ratio: float) -> None:
    if before and after < before * (1 - max_ratio):
        drop = (before - after) / before
        raise ShrinkRefusedError(
            f"{source}: update would shrink the list from {before} to {after} entries ({drop:.1%} fewer, "
            f"limit {max_ratio:.0%}); refused. Check the file, or pass --allow-shrink if this is intended."
        )


def default_coverage_note(req: LoadRequest) -> str:
    linked = sum(1 for e in req.entries if e.xinjiang_linked)
    return (f"{len(req.entries)} entries loaded from {redact(req.origin)}; {linked} tied to Xinjiang "
            f"(by program, address or remarks).")


def is_stale(version: ListVersion, *, max_age_days: int, now: datetime | None = None) -> bool:
    """A version is stale when the data it carries (its snapshot date, else its load time) is too old."""
    now = now or datetime.now(UTC)
    return now - data_as_of(version) > timedelta(days=max_age_days)


def data_as_of(version: ListVersion) -> datetime:
    if version.snapshot_date:
        text = version.snapshot_date
        if len(text) == 7:  # year-month: count from the end of that month's first day
            text += "-01"
        try:
            return datetime.fromisoformat(text).replace(tzinfo=UTC)
        except ValueError:
            pass
    loaded = version.loaded_at
    return loaded if loaded.tzinfo else loaded.replace(tzinfo=UTC)
