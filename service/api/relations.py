"""Relations around listed entities: a party's relations by name, a list entry's relations, and status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AfterValidator

from service.api.auth import AUTH_RESPONSES, require
from service.api.deps import ActiveListsDep, RelationsDep, SessionDep, SettingsDep
from service.api.errors import NotFoundError
from service.api.schemas_relations import (
    PartyRelations,
    PartyRelationsPage,
    RelationsStatus,
    RelationVersionsPublic,
)
from service.api.text import MAX_NAME_CHARS, clean_name
from service.relations import query, status
from service.relations.model import SOURCES
from service.screening.relations import RelationsView
from service.services.context import default_thresholds

router = APIRouter(prefix="/v1", tags=["relations"], dependencies=[Depends(require("read"))],
                   responses=AUTH_RESPONSES)


@router.get("/relations", summary="A party's known relations and its paths to list entries, by name",
            response_model=PartyRelationsPage)
def find_relations(
    name: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS,
                               description="A name (matched like a screening), an LEI or a list entry id.",
                               examples=["Hoshine Silicon Industry (Shanshan) Co., Ltd"]),
                    AfterValidator(clean_name)],
    lists: ActiveListsDep, relations: RelationsDep, settings: SettingsDep,
) -> PartyRelationsPage:
    """Every list entry or related organisation the name matches (review band or better), each with its direct
    relations (who says so, share, dates) and its paths to list entries with the rule a strong match gets."""
    view = relations.view_for(lists)
    keys = query.find_keys(view, lists, name, default_thresholds(settings))
    data = [PartyRelations.model_validate(query.describe(view, key)) for key in keys]
    return PartyRelationsPage(data=data, count=len(data))


@router.get("/lists/{source}/entries/{entry_id}/relations", tags=["lists"],
            summary="Relations of one entry of a source's active version", response_model=PartyRelations,
            responses=NotFoundError.response_doc())
def entry_relations(source: Annotated[str, Path(examples=["uflpa_entity_list"])], entry_id: str,
                    lists: ActiveListsDep, relations: RelationsDep) -> PartyRelations:
    entry = next((e for e in lists.entries if e.source == source and e.entry_id == entry_id), None)
    if entry is None:
        raise NotFoundError(f"no entry {entry_id!r} in the active version of {source}")
    view: RelationsView = relations.view_for(lists)
    return PartyRelations.model_validate(query.entry_relations(view, entry))


@router.get("/relations/status", summary="Loaded relation sources with counts, snapshot dates and coverage",
            response_model=RelationsStatus)
def relations_status(session: SessionDep, settings: SettingsDep, lists: ActiveListsDep,
                     relations: RelationsDep) -> RelationsStatus:
    view = relations.view_for(lists)
    from_lists = sum(1 for steps in view.graph.adjacent.values() for s in steps
                     if s.up and s.relation.source in lists.versions)
    return RelationsStatus.model_validate({
        "data": status.relation_sources(session, stale_after_days=settings.stale_after_days),
        "list_relations": from_lists, "related_orgs": len(view.index)})


@router.get("/relations/{source}/versions", summary="Every loaded version of a relation source, newest first",
            response_model=RelationVersionsPublic, responses=NotFoundError.response_doc())
def relation_versions(source: Annotated[str, Path(description="Relation source.", examples=list(SOURCES))],
                      session: SessionDep) -> RelationVersionsPublic:
    rows = status.versions(session, source)
    if rows is None:
        raise NotFoundError(f"no relations loaded for source {source!r}")
    return RelationVersionsPublic.model_validate({"data": rows, "count": len(rows)})
