"""Name matching against the active lists, and pairwise comparison for "why (not) a match?"."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.auth import AUTH_RESPONSES, require
from service.api.deps import ActiveListsDep, SettingsDep
from service.contracts.match import (
    CompareRequest,
    CompareResponse,
    MatchBatchRequest,
    MatchBatchResponse,
    MatchRequest,
    MatchResponse,
)
from service.errors import UnprocessableError
from service.lists.active import ActiveLists
from service.services.matching import compare_parties, match_one, thresholds_for
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
    return CompareResponse(score=pair.score, band=pair.band, features=pair.features.to_dict())


def _match_one(body: MatchRequest, lists: ActiveLists, settings: Settings) -> MatchResponse:
    return match_one(body, lists, thresholds_for(settings, body.thresholds))
