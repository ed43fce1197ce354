"""Name matching against the active lists, and pairwise comparison for "why (not) a match?"."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.auth import AUTH_RESPONSES, require
from service.api.deps import ActiveListsDep, SettingsDep
from service.api.errors import UnprocessableError
from service.api.party_query import compare_parties, match_party, thresholds_for, to_query
from service.api.schemas_match import (
    CompareRequest,
    CompareResponse,
    LinkedEntryOut,
    MatchBatchRequest,
    MatchBatchResponse,
    MatchOut,
    MatchRequest,
    MatchResponse,
)
from service.lists.active import ActiveLists
from service.screening.consequences import match_consequence
from service.screening.query import cleaned
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["match"], dependencies=[Depends(require("screen"))], responses=AUTH_RESPONSES)


@router.post("/match", summary="Match one name against the active lists", response_model=MatchResponse,
             responses=UnprocessableError.response_doc())
def match(body: MatchRequest, lists: ActiveListsDep, settings: SettingsDep) -> MatchResponse:
    """Returns every list entry at or above the `review` threshold, best first, with the features
    that produced each score. Example: `{"name": "HOSHINE SILICON IND SHANSHAN CO LTD", "country": "CN"}`."""
    return _match_one(body, lists, settings)


@router.post("/match:batch", summary="Match up to 1,000 names in one call", response_model=MatchBatchResponse,
             responses=UnprocessableError.response_doc())
def match_batch(body: MatchBatchRequest, lists: ActiveListsDep, settings: SettingsDep) -> MatchBatchResponse:
    results = [_match_one(q, lists, settings) for q in body.queries]
    return MatchBatchResponse(list_versions=lists.version_labels(), results=results)


@router.post("/compare", summary="Score two parties against each other and explain", response_model=CompareResponse,
             responses=UnprocessableError.response_doc())
def compare(body: CompareRequest, settings: SettingsDep) -> CompareResponse:
    pair = compare_parties(body.a, body.b, thresholds_for(settings, body.thresholds))
    return CompareResponse(score=pair.score, band=pair.band, features=pair.features)


def _match_one(body: MatchRequest, lists: ActiveLists, settings: Settings) -> MatchResponse:
    results = match_party(lists.index, body, thresholds_for(settings, body.thresholds),
                          sources=body.sources, limit=body.limit)
    name, chinese = cleaned(to_query(body))
    return MatchResponse(
        list_versions=lists.version_labels(), query_name=name.text,
        ignored=[*name.ignored, *(chinese.ignored if chinese else ())],
        matches=[MatchOut(
            source=r.entry.source, entry_id=r.entry.entry_id, name=r.entry.name, matched_alias=r.matched_alias,
            score=r.score, band=r.band or "review", features=r.features, citation=r.entry.citation,
            legal_basis=r.entry.legal_basis,
            date_listed=r.entry.date_listed.isoformat() if r.entry.date_listed else None,
            consequence=match_consequence(r.entry),
            linked_entries=[LinkedEntryOut(source=e.source, entry_id=e.entry_id, name=e.name) for e in r.linked])
            for r in results])
