"""The loaded source lists, their versions and entries, as the API and the console show them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from service.contracts.lists import (
    ListChangePublic,
    ListChangesPublic,
    ListEntriesPublic,
    ListEntryPublic,
    ListErrorPublic,
    ListSourcePublic,
    ListSourcesPublic,
    VersionPublic,
    VersionsPublic,
)
from service.errors import NotFoundError
from service.lists.status import ListStatus, status_of
from service.observability.logging import redact
from service.screening.model import KNOWN_SOURCES
from service.store import auth_repo, lists_repo
from service.store.tables import GLOBAL_ORG, ListEntryRow, ListVersion


class RemoveRefusedError(Exception):
    """A version or source that may not be removed (active, built in, or unknown)."""


def sources(session: Session, *, stale_after_days: int) -> ListSourcesPublic:
    """Every source with its active version, counts, snapshot date, coverage, and sync status."""
    pointers = lists_repo.pointers(session)
    found = []
    for v in lists_repo.active_versions(session):
        status = status_of(v, pointers.get(v.source), default_max_age_days=stale_after_days)
        found.append(_source(v, status))
    return ListSourcesPublic(data=found)


def _source(v: ListVersion, status: ListStatus) -> ListSourcePublic:
    error = status.last_error
    return ListSourcePublic(
        source=v.source, entry_count=v.entry_count, snapshot_date=v.snapshot_date,
        coverage_note=redact(v.coverage_note) if v.coverage_note else None, stale=status.stale,
        last_checked_at=status.last_checked_at, last_changed_at=status.last_changed_at,
        last_error=ListErrorPublic(at=error.at, message=error.message) if error else None,
        max_age_days=status.max_age_days, active_version=_version(v))


def changes(session: Session, source: str, *, since: date | None, limit: int, offset: int) -> ListChangesPublic:
    """Entries added, removed and changed by each version of a source, newest first."""
    _active(session, source)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    total, rows = lists_repo.changes(session, source, since=start, limit=limit, offset=offset)
    data = [ListChangePublic.model_validate({"version_id": r.version_id, "previous_version_id": r.previous_version_id,
                                             "at": r.at, "added": r.added, "removed": r.removed,
                                             "changed": r.changed}) for r in rows]
    return ListChangesPublic(data=data, count=total, limit=limit, offset=offset)


def remove_version(session: Session, source: str, version_id: int, *, actor: str) -> str:
    """Remove a version that is not active, with an audit record."""
    version = session.get(ListVersion, version_id)
    if version is None or version.source != source:
        raise RemoveRefusedError(f"{source} has no version {version_id}")
    active = lists_repo.active_version(session, source)
    if active is not None and active.id == version_id:
        raise RemoveRefusedError(f"version {version_id} is the active version of {source}; load or activate "
                                 "another first")
    lists_repo.delete_version(session, version_id)
    auth_repo.add_event(session, org_id=GLOBAL_ORG, actor=actor, type="list.version_removed", subject=source,
                        request_hash=version.content_hash,
                        details={"version_id": version_id, "entries": version.entry_count, "origin": version.origin})
    return f"{source}: removed version {version_id} ({version.entry_count} entries)"


def remove_source(session: Session, source: str, *, actor: str) -> str:
    """Remove a source that is not built in, every version of it, with an audit record."""
    if source in KNOWN_SOURCES:
        raise RemoveRefusedError(f"{source} is a built-in source; remove one of its versions with --version N")
    if not lists_repo.versions_of(session, source):
        raise RemoveRefusedError(f"there is no list source {source!r}")
    removed = lists_repo.delete_source(session, source)
    auth_repo.add_event(session, org_id=GLOBAL_ORG, actor=actor, type="list.source_removed", subject=source,
                        details={"versions": removed})
    return f"{source}: removed with its {removed} version(s)"


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
    return VersionPublic(id=v.id, content_hash=v.content_hash, loaded_at=v.loaded_at, origin=redact(v.origin),
                         entry_count=v.entry_count, snapshot_date=v.snapshot_date, active=active)


def _entry(source: str, row: ListEntryRow) -> ListEntryPublic:
    return ListEntryPublic(source=source, **row.model_dump(exclude={"id", "search_text"}))
