"""Matching names and comparing parties: request models to matcher queries (with Xinjiang detection on the
address), results to response models."""

from __future__ import annotations

from collections.abc import Collection

from service.contracts.match import LinkedEntryOut, MatchOut, MatchRequest, MatchResponse, PartyIn, ThresholdsIn
from service.lists.active import ActiveLists
from service.refdata.loaders import load_gazetteer
from service.screening.consequences import match_consequence
from service.screening.matcher import MatchIndex, MatchQuery, MatchResult, PairScore, Thresholds, compare
from service.screening.query import cleaned
from service.services.context import default_thresholds
from service.settings import Settings


def thresholds_for(settings: Settings, override: ThresholdsIn | None) -> Thresholds:
    if override is not None:
        return Thresholds(strong=override.strong, review=override.review)
    return default_thresholds(settings)


def to_query(party: PartyIn) -> MatchQuery:
    where = " ".join(p for p in (party.address,) if p)
    xinjiang = bool(where) and load_gazetteer().mentions_xinjiang(where, country=party.country)
    return MatchQuery(name=party.name, entity_type=party.type, chinese_name=party.chinese_name,
                      country=party.country, address=party.address, xinjiang_place=xinjiang)


def match_party(index: MatchIndex, party: PartyIn, thresholds: Thresholds, *,
                sources: Collection[str] | None, limit: int) -> list[MatchResult]:
    return index.match(to_query(party), thresholds=thresholds, sources=sources, limit=limit)


def compare_parties(a: PartyIn, b: PartyIn, thresholds: Thresholds) -> PairScore:
    return compare(to_query(a), to_query(b), thresholds=thresholds)


def match_one(body: MatchRequest, lists: ActiveLists, thresholds: Thresholds) -> MatchResponse:
    """Every list entry at or above the review threshold, best first, with its features and consequence."""
    results = match_party(lists.index, body, thresholds, sources=body.sources, limit=body.limit)
    name, chinese = cleaned(to_query(body))
    return MatchResponse(
        list_versions=lists.version_labels(), query_name=name.text,
        ignored=[*name.ignored, *(chinese.ignored if chinese else ())],
        matches=[MatchOut(
            source=r.entry.source, entry_id=r.entry.entry_id, name=r.entry.name, matched_alias=r.matched_alias,
            score=r.score, band=r.band or "review", features=r.features.to_dict(), citation=r.entry.citation,
            legal_basis=r.entry.legal_basis,
            date_listed=r.entry.date_listed.isoformat() if r.entry.date_listed else None,
            consequence=match_consequence(r.entry),
            linked_entries=[LinkedEntryOut(source=e.source, entry_id=e.entry_id, name=e.name) for e in r.linked])
            for r in results])
