"""The pruning bound is safe: whenever it rules a candidate out, the full scorer agrees the candidate is below.

Checked on every eval-set query against its 40 best-retrieved candidates in an index of the shipped lists plus
generated look-alike companies (the crowded case: same places, sectors and brand syllables), at several floors.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest

from benchmarks.match_quality import DEFAULT_PAIRS, load_shipped_entries
from benchmarks.names import generate_entities, generate_queries
from service.screening.bound import NameBound, candidate_facts
from service.screening.matcher import MatchIndex, MatchQuery, Party
from service.screening.party_score import kind_of as _kind
from service.screening.query import query_keys as _keys
from service.screening.query import query_party as _query_party
from service.screening.scoring import best_name_score

FLOORS = (0.5, 0.6, 0.7, 0.8)


@cache
def crowded_index() -> MatchIndex:
    return MatchIndex.build(load_shipped_entries() + generate_entities(2000, seed=11))


def _queries() -> list[MatchQuery]:
    with DEFAULT_PAIRS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    listed = [MatchQuery(r["query_name"], chinese_name=r["query_chinese_name"] or None) for r in rows]
    return listed + generate_queries(300, load_shipped_entries(), seed=12)


def _candidates(index: MatchIndex, party: Party) -> list[Party]:
    numbers = dict.fromkeys(index._owners[i] for i in index._index.shortlist(_keys(party, True), 40))
    return [c for c in (index._parties[n] for n in numbers) if _kind(party, c) == "company"]


def test_never_prunes_a_candidate_the_scorer_puts_at_or_above_the_floor() -> None:
    index = crowded_index()
    checked = pruned = 0
    wrong: list[tuple[str, str, float, float]] = []
    for query in _queries():
        party = _query_party(query)
        bound = NameBound(party.all_forms)
        for cand in _candidates(index, party):
            best = best_name_score(party.all_forms, cand.all_forms)
            similarity = best.similarity if best else 0.0
            facts = candidate_facts(cand.all_forms)
            for floor in FLOORS:
                checked += 1
                if not bound.may_reach(facts, floor):
                    pruned += 1
                    if similarity >= floor:
                        wrong.append((query.name, cand.names[0], floor, similarity))
    assert wrong == []
    assert checked > 20_000
    assert pruned > checked // 2  # and it does prune: most retrieved look-alikes cannot reach a band


@pytest.mark.parametrize(("query", "listed"), [
    ("Shaoxing Dafeng Solar Co., Ltd.", "Shaoxing Dafeng Cotton Co., Ltd."),  # sector clash
    ("Hotan Meilong Textile Co., Ltd.", "Hotan Meilong Chemical Co., Ltd."),
    ("Meilong Textile Co (Kashgar)", "Meilong Textile Co (Urumqi)"),  # place clash
])
def test_sector_and_place_clash_prune_a_shared_brand(query: str, listed: str) -> None:
    party, cand = _query_party(MatchQuery(query)), _query_party(MatchQuery(listed))
    best = best_name_score(party.all_forms, cand.all_forms)
    assert best is not None
    assert best.similarity < 0.7
    assert not NameBound(party.all_forms).may_reach(candidate_facts(cand.all_forms), 0.7)
