"""Turn HTTP party models into matcher queries (with Xinjiang detection on the address)."""

from __future__ import annotations

from collections.abc import Collection

from service.contracts.match import PartyIn, ThresholdsIn
from service.refdata.loaders import load_gazetteer
from service.screening.matcher import MatchIndex, MatchQuery, MatchResult, PairScore, Thresholds, compare
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
