"""What a result says about the lists it was screened against: `lists` and the list `warnings`.

Computed from the process's active view (`ActiveLists`: versions and their sources' last check), never from
the database per screening: the view caches it until a list it uses turns stale with the passing of time, and
the registry's poll gives it a new view when a version or a check changes (service/lists/active.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from service.contracts.list_usage import ListUsage
from service.lists.active import ActiveLists, SourceCheck, VersionInfo
from service.lists.status import ListStatus, status_of, warnings_for
from service.store.tables import ListSource, ListVersion

_FAR = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ListsUsed:
    """The lists behind a set of results, as of the screening."""

    statuses: tuple[ListStatus, ...]

    @property
    def lists(self) -> list[dict[str, Any]]:
        """The `lists` array of a result (`service/contracts/list_usage.py: ListUsage`)."""
        return [usage_dict(s) for s in self.statuses]

    @property
    def warnings(self) -> list[str]:
        return warnings_for(self.statuses)

    @property
    def stale(self) -> list[ListStatus]:
        return [s for s in self.statuses if s.stale]

    def caveat(self) -> str | None:
        """The sentence a clear verdict adds to its summary when a list behind it is partial or stale."""
        return caveat(self.statuses)

    def as_json(self) -> list[dict[str, Any]]:
        """`lists` as JSON, exactly as an API result shows it."""
        return [ListUsage.model_validate(usage_dict(s)).model_dump(mode="json") for s in self.statuses]

    def stored(self) -> dict[str, Any]:
        """What a batch keeps of the lists its rows were screened against (JSON); `official_count` (when known
        partial) is for the exports' `flrisk_lists` cell."""
        lists = [{**usage, "official_count": s.official_count if s.counted_short else None, "partial": s.partial}
                 for usage, s in zip(self.as_json(), self.statuses, strict=True)]
        return {"lists": lists, "warnings": self.warnings, "caveat": self.caveat()}


def usage_dict(status: ListStatus) -> dict[str, Any]:
    return {"source": status.source, "version": status.version, "entry_count": status.entry_count,
            "snapshot_date": status.snapshot_date, "last_checked_at": status.last_checked_at,
            "stale": status.stale, "coverage_note": status.coverage_note}


def with_caveat(summary: str, verdict: str, caveat_text: str | None) -> str:
    return f"{summary} {caveat_text}" if verdict == "clear" and caveat_text else summary


def caveat(statuses: Iterable[ListStatus]) -> str | None:
    found = list(statuses)
    partial = [s.label for s in found if s.partial]
    stale = [s.label for s in found if s.stale]
    parts = ([f"known to be partial ({', '.join(partial)})"] if partial else []) + (
        [f"stale ({', '.join(stale)})"] if stale else [])
    if not parts:
        return None
    return (f"Clear only as far as the lists go: some are {' and some '.join(parts)}, so an entity missing from "
            f"them was not screened (see warnings).")


def lists_used(lists: ActiveLists, *, default_max_age_days: int, now: datetime | None = None) -> ListsUsed:
    """The statuses of the view's versions at `now`, from the view's cache while no list turned stale since."""
    now = now or datetime.now(UTC)
    cached = lists.usage_cache.get(default_max_age_days)
    if cached is not None and now < cached[1]:
        used: ListsUsed = cached[0]
        return used
    statuses = tuple(_status(v, lists.checks.get(source), default_max_age_days, now)
                     for source, v in sorted(lists.versions.items()))
    lists.usage_cache[default_max_age_days] = (ListsUsed(statuses), _valid_until(statuses))
    return ListsUsed(statuses)


def _valid_until(statuses: Iterable[ListStatus]) -> datetime:
    """When the first list that is current now turns stale (then the statuses are computed again)."""
    return min((s.last_checked_at + timedelta(days=s.max_age_days) for s in statuses if not s.stale), default=_FAR)


def _status(info: VersionInfo, check: SourceCheck | None, default_max_age_days: int, now: datetime) -> ListStatus:
    """`status_of` over the view's records: transient rows, never added to a session."""
    version = ListVersion(id=info.id, source=info.source, content_hash=info.content_hash,
                          entry_count=info.entry_count, loaded_at=info.loaded_at, origin="",
                          snapshot_date=info.snapshot_date, coverage_note=info.coverage_note,
                          official_count=info.official_count, official_count_date=info.official_count_date)
    pointer = None if check is None else ListSource(
        source=info.source, active_version_id=info.id, last_checked_at=check.last_checked_at,
        last_changed_at=check.last_changed_at, last_error_at=check.last_error_at, last_error=check.last_error,
        max_age_days=check.max_age_days)
    return status_of(version, pointer, default_max_age_days=default_max_age_days, now=now)
