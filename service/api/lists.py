"""Read endpoints over the loaded source lists and their versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from service.api.auth import AUTH_RESPONSES, require
from service.api.deps import Offset, SessionDep, SettingsDep
from service.contracts.lists import (
    ListChangesPublic,
    ListEntriesPublic,
    ListEntryPublic,
    ListSourcesPublic,
    VersionsPublic,
)
from service.contracts.text import DateText
from service.errors import NotFoundError
from service.services import lists

router = APIRouter(prefix="/v1/lists", tags=["lists"], dependencies=[Depends(require("read"))],
                   responses=AUTH_RESPONSES)
SourcePath = Annotated[str, Path(description="Source list id.", examples=["uflpa_entity_list"])]


@router.get("", summary="Loaded source lists with counts, snapshot dates, coverage and sync status",
            response_model=ListSourcesPublic)
def list_sources(session: SessionDep, settings: SettingsDep) -> ListSourcesPublic:
    return lists.sources(session, stale_after_days=settings.stale_after_days)


@router.get("/{source}/versions", summary="Every loaded version of a source, newest first",
            response_model=VersionsPublic, responses=NotFoundError.response_doc())
def list_versions(source: SourcePath, session: SessionDep) -> VersionsPublic:
    return lists.versions(session, source)


@router.get("/{source}/changes", summary="Entries added, removed and changed by each version, newest first",
            response_model=ListChangesPublic, responses=NotFoundError.response_doc())
def list_changes(
    source: SourcePath,
    session: SessionDep,
    since: Annotated[DateText | None, Query(description="Only versions loaded on or after this date (UTC).",
                                        examples=["2026-08-01"])] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> ListChangesPublic:
    return lists.changes(session, source, since=since, limit=limit, offset=offset)


@router.get("/{source}/entries", summary="Entries of a source's active version, paged and filterable",
            response_model=ListEntriesPublic, responses=NotFoundError.response_doc())
def list_entries(
    source: SourcePath,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="Case-insensitive substring of a name or alias "
                                               "(% and _ match themselves).",
                                   examples=["hoshine"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> ListEntriesPublic:
    return lists.entries(session, source, q=q, limit=limit, offset=offset)


@router.get("/{source}/entries/{entry_id}", summary="One entry of a source's active version",
            response_model=ListEntryPublic, responses=NotFoundError.response_doc())
def get_entry(source: SourcePath, entry_id: str, session: SessionDep) -> ListEntryPublic:
    return lists.entry(session, source, entry_id)
