"""Read endpoints over the loaded source lists and their versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from service.api.auth import AUTH_RESPONSES, require
from service.api.deps import Offset, SessionDep, SettingsDep
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

router = APIRouter(prefix="/v1/lists", tags=["lists"], dependencies=[Depends(require("read"))],
                   responses=AUTH_RESPONSES)
SourcePath = Annotated[str, Path(description="Source list id.", examples=["uflpa_entity_list"])]


@router.get("", summary="Loaded source lists with counts, snapshot dates and coverage",
            response_model=ListSourcesPublic)
def list_sources(session: SessionDep, settings: SettingsDep) -> ListSourcesPublic:
    data = [
        ListSourcePublic(
            source=v.source, entry_count=v.entry_count, snapshot_date=v.snapshot_date,
            coverage_note=v.coverage_note, stale=is_stale(v, max_age_days=settings.stale_after_days),
            active_version=_version(v),
        )
        for v in lists_repo.active_versions(session)
    ]
    return ListSourcesPublic(data=data)


@router.get("/{source}/versions", summary="Every loaded version of a source, newest first",
            response_model=VersionsPublic, responses=NotFoundError.response_doc())
def list_versions(source: SourcePath, session: SessionDep) -> VersionsPublic:
    active = _active(session, source)
    versions = [_version(v, active=v.id == active.id) for v in lists_repo.versions_of(session, source)]
    return VersionsPublic(data=versions, count=len(versions))


@router.get("/{source}/entries", summary="Entries of a source's active version, paged and filterable",
            response_model=ListEntriesPublic, responses=NotFoundError.response_doc())
def list_entries(
    source: SourcePath,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="Case-insensitive substring of a name or alias.",
                                   examples=["hoshine"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> ListEntriesPublic:
    version = _active(session, source)
    assert version.id is not None
    total, rows = lists_repo.search_entries(session, version.id, q, limit, offset)
    return ListEntriesPublic(data=[_entry(source, r) for r in rows], count=total, limit=limit, offset=offset)


@router.get("/{source}/entries/{entry_id}", summary="One entry of a source's active version",
            response_model=ListEntryPublic, responses=NotFoundError.response_doc())
def get_entry(source: SourcePath, entry_id: str, session: SessionDep) -> ListEntryPublic:
    version = _active(session, source)
    assert version.id is not None
    row = lists_repo.get_entry(session, version.id, entry_id)
    if row is None:
        raise NotFoundError(f"no entry {entry_id!r} in the active version of {source}")
    return _entry(source, row)


def _active(session: SessionDep, source: str) -> ListVersion:
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
