"""The loaded source lists, their versions and entries, as the API and the console show them."""

from __future__ import annotations

from sqlmodel import Session

from service.contracts.lists import (
    ListEntriesPublic,
    ListEntryPublic,
    ListSourcePublic,
    ListSourcesPublic,
    VersionPublic,
    VersionsPublic,
)
from service.errors import NotFoundError
from service.lists.versions import is_stale
from service.store import lists_repo
from service.store.tables import ListEntryRow, ListVersion


def sources(session: Session, *, stale_after_days: int) -> ListSourcesPublic:
    """Every source with its active version, counts, snapshot date and coverage."""
    return ListSourcesPublic(data=[
        ListSourcePublic(source=v.source, entry_count=v.entry_count, snapshot_date=v.snapshot_date,
                         coverage_note=v.coverage_note, stale=is_stale(v, max_age_days=stale_after_days),
                         active_version=_version(v))
        for v in lists_repo.active_versions(session)
    ])


def versions(session: Session, source: str) -> VersionsPublic:
    active = _active(session, source)
    found = [_version(v, active=v.id == active.id) for v in lists_repo.versions_of(session, source)]
    return VersionsPublic(data=found, count=len(found))


def entries(session: Session, source: str, *, q: str | None, limit: int, offset: int) -> ListEntriesPublic:
    version = _active(session, source)
    assert version.id is not None
    total, rows = lists_repo.search_entries(session, version.id, q, limit, offset)
    return ListEntriesPublic(data=[_entry(source, r) for r in rows], count=total, limit=limit, offset=offset)


def entry(session: Session, source: str, entry_id: str) -> ListEntryPublic:
    version = _active(session, source)
    assert version.id is not None
    row = lists_repo.get_entry(session, version.id, entry_id)
    if row is None:
        raise NotFoundError(f"no entry {entry_id!r} in the active version of {source}")
    return _entry(source, row)


def _active(session: Session, source: str) -> ListVersion:
    version = lists_repo.active_version(session, source)
    if version is None:
        raise NotFoundError(f"unknown list source {source!r}")
    return version


def _version(v: ListVersion, *, active: bool = True) -> VersionPublic:
    assert v.id is not None
    return VersionPublic(id=v.id, content_hash=v.content_hash, loaded_at=v.loaded_at, origin=v.origin,
                         entry_count=v.entry_count, snapshot_date=v.snapshot_date, active=active)


def _entry(source: str, row: ListEntryRow) -> ListEntryPublic:
    return ListEntryPublic(source=source, **row.model_dump(exclude={"id", "search_text"}))
