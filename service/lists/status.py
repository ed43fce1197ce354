"""How complete and current each list is, as every result reports it (`lists` and `warnings`).

A source's age counts from its last successful check against the upstream, changed or not; a source never
checked (the shipped snapshot, a manual `lists update` from a file) counts from its snapshot date. A list is
partial when its version knows the official publication had more entities than were loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from service.lists.versions import data_as_of
from service.screening.reasons import SOURCES
from service.store import lists_repo
from service.store.tables import ListSource, ListVersion


@dataclass(frozen=True)
class ListError:
    at: datetime
    message: str


@dataclass(frozen=True)
class ListStatus:
    source: str
    version: int
    entry_count: int
    snapshot_date: str | None
    last_checked_at: datetime
    last_changed_at: datetime | None
    last_error: ListError | None
    stale: bool
    max_age_days: int
    coverage_note: str | None
    official_count: int | None
    official_count_date: str | None

    @property
    def label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def counted_short(self) -> bool:
        return self.official_count is not None and self.official_count > self.entry_count

    @property
    def partial(self) -> bool:
        """Known partial: fewer entities than the official count, or a coverage note that says so itself
        (the shipped BIS extract has no official count to compare with, but its note starts "PARTIAL:")."""
        return self.counted_short or declared_partial(self.coverage_note)

    def warnings(self) -> list[str]:
        """Plain sentences, one per problem; empty when the list is complete and current."""
        found = []
        if self.counted_short:
            as_of = f" after {self.official_count_date}" if self.official_count_date else ""
            found.append(f"{self.label}: {self.entry_count} entities loaded; the official list had "
                         f"{self.official_count}{as_of}.")
        elif self.partial:
            note = (self.coverage_note or "").split(":", 1)[-1].strip().rstrip(".")
            found.append(f"{self.label}: known to be partial, {self.entry_count} entries loaded: {note}.")
        if self.stale:
            found.append(f"{self.label}: last checked against the official source on "
                         f"{self.last_checked_at.date().isoformat()}, more than {self.max_age_days} days ago; "
                         f"entries added since are not screened.")
        if self.last_error is not None:
            found.append(f"{self.label}: the last update attempt on {self.last_error.at.date().isoformat()} "
                         f"failed ({self.last_error.message}); the previous version is still in use.")
        return found


def declared_partial(coverage_note: str | None) -> bool:
    return coverage_note is not None and coverage_note.lstrip().upper().startswith("PARTIAL")


def status_of(version: ListVersion, pointer: ListSource | None, *, default_max_age_days: int,
              now: datetime | None = None) -> ListStatus:
    now = now or datetime.now(UTC)
    assert version.id is not None
    checked = (pointer.last_checked_at if pointer else None) or data_as_of(version)
    max_age = (pointer.max_age_days if pointer else None) or default_max_age_days
    error = None
    if pointer is not None and pointer.last_error and pointer.last_error_at:
        # An error older than the last good check is history, not a warning.
        if pointer.last_checked_at is None or pointer.last_error_at > pointer.last_checked_at:
            error = ListError(pointer.last_error_at, pointer.last_error)
    return ListStatus(
        source=version.source, version=version.id, entry_count=version.entry_count,
        snapshot_date=version.snapshot_date, last_checked_at=checked,
        last_changed_at=pointer.last_changed_at if pointer else None, last_error=error,
        stale=now - checked > timedelta(days=max_age), max_age_days=max_age,
        coverage_note=version.coverage_note, official_count=version.official_count,
        official_count_date=version.official_count_date,
    )


def warnings_for(statuses: Iterable[ListStatus]) -> list[str]:
    return [w for s in statuses for w in s.warnings()]


def current_statuses(session: Session, *, default_max_age_days: int, now: datetime | None = None
                     ) -> list[ListStatus]:
    """Every source's active version with its status, ordered by source."""
    pointers = lists_repo.pointers(session)
    return [status_of(v, pointers.get(v.source), default_max_age_days=default_max_age_days, now=now)
            for v in lists_repo.active_versions(session)]
