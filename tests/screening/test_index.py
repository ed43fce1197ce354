"""Candidate retrieval: postings over names, aliases and Chinese names; no full scans."""

from __future__ import annotations

import random
from array import array

import pytest

from service.screening.index import CandidateIndex, keys_of, native_ranked, trigrams
from service.screening.matcher import MatchIndex, MatchQuery
from service.screening.model import ListEntry


def _entry(entry_id: str, name: str, **kw: object) -> ListEntry:
    return ListEntry(source="uflpa_entity_list", entry_id=entry_id, name=name, country="CN", **kw)  # type: ignore[arg-type]


ENTRIES = [
    _entry("e1", "Hoshine Silicon Industry (Shanshan) Co., Ltd"),
    _entry("e2", "Xinjiang Zhongtai Chemical Co., Ltd."),
    _entry("e3", "Xinjiang Tianshan Wool Textile Co. Ltd.", chinese_names=("新疆天山毛纺织股份有限公司",)),
    _entry("e4", "Xinjiang Uyghur Autonomous Region (XUAR)", match_by_name=False),
    _entry("e5", "Xinjiang Production and Construction Corps", aliases=("XPCC",)),
]


class TestCandidateIndex:
    def test_trigrams_are_padded(self) -> None:
        assert trigrams("abc") == {"^ab", "abc", "bc$"}

    def test_shortlist_ranks_by_shared_keys(self) -> None:
        index = CandidateIndex()
        index.add(keys_of([("hoshine", "silicon")]))
        index.add(keys_of([("zhongtai", "chemical")]))
        assert index.shortlist(keys_of([("zhongtai",)]), 5) == [1]

    def test_unseen_keys_give_nothing(self) -> None:
        index = CandidateIndex()
        index.add(keys_of([("hoshine",)]))
        assert index.shortlist(keys_of([("qqqq",)]), 5) == []


class TestMatchIndex:
    def test_len_counts_matchable_entries(self) -> None:
        assert len(MatchIndex.build(ENTRIES)) == 4

    def test_finds_variant_sharing_no_full_token(self) -> None:
        results = MatchIndex.build(ENTRIES).match(MatchQuery("Hosh1ne S1licon lndustry"))
        assert results[0].entry.entry_id == "e1"

    def test_finds_joined_pinyin_against_split(self) -> None:
        results = MatchIndex.build(ENTRIES).match(MatchQuery("Xinjiang Zhong Tai Chemical"))
        assert [r.entry.entry_id for r in results] == ["e2"]

    def test_never_returns_region_wide_orders(self) -> None:
        index = MatchIndex.build(ENTRIES)
        for name in ("Xinjiang Uyghur Autonomous Region", "XUAR", "Xinjiang"):
            assert all(r.entry.entry_id != "e4" for r in index.match(MatchQuery(name)))

    def test_chinese_name_is_indexed(self) -> None:
        results = MatchIndex.build(ENTRIES).match(MatchQuery("新疆天山毛紡織股份有限公司"))
        assert results[0].entry.entry_id == "e3"
        assert results[0].matched_alias == "新疆天山毛纺织股份有限公司"

    def test_acronym_alias(self) -> None:
        results = MatchIndex.build(ENTRIES).match(MatchQuery("XPCC"))
        assert results[0].entry.entry_id == "e5"
        assert results[0].band == "strong"

    def test_sources_filter(self) -> None:
        index = MatchIndex.build(ENTRIES)
        assert index.match(MatchQuery("Hoshine Silicon Industry"), sources={"ofac_sdn"}) == []

    def test_limit(self) -> None:
        index = MatchIndex.build(ENTRIES)
        assert len(index.match(MatchQuery("Xinjiang Zhongtai Chemical"), limit=1)) == 1


class TestSourcesFilter:
    def test_filter_applies_before_the_shortlist(self) -> None:
        # Many near-identical entries of another source must not crowd out the one asked for.
        crowd = [ListEntry(source="opensanctions", entry_id=f"os{i}", name="Hoshine Silicon Industry Co., Ltd.")
                 for i in range(60)]
        wanted = _entry("u1", "Hoshine Silicon Industry Co., Ltd.")
        results = MatchIndex.build([*crowd, wanted]).match(MatchQuery("Hoshine Silicon Industry"),
                                                           sources={"uflpa_entity_list"})
        assert [r.entry.entry_id for r in results] == ["u1"]


def _reference_ranking(lists: list[tuple[array[int], float]], total: float, cut: float, limit: int) -> list[int]:
    """The shortlist's arithmetic written out plainly: sums in list order, only met items after the cut, best
    first with ties in first-met order."""
    acc: dict[int, float] = {}
    left = total
    for hits, w in sorted(lists, key=lambda pair: len(pair[0])):
        for number in hits:
            if left + 1e-9 >= cut:
                acc[number] = acc.get(number, 0.0) + w
            elif number in acc:
                acc[number] += w
        left -= w
    ranked = sorted(((n, s) for n, s in acc.items() if s >= cut), key=lambda pair: -pair[1])
    return [n for n, _ in ranked[:limit]]


class TestRanking:
    """The C inner loop (`_postings`, when built) and the Python fallback rank exactly like the plain loop."""

    @pytest.mark.parametrize("seed", range(20))
    def test_same_items_in_the_same_order(self, seed: int) -> None:
        rng = random.Random(seed)
        weights = [rng.choice((0.5, 1.0, 1.5, 2.25, 3.0)) for _ in range(rng.randrange(1, 12))]  # equal sums: ties
        lists = [(array("i", rng.sample(range(3000), rng.randrange(1, 400))), w) for w in weights]
        total = sum(w for _, w in lists)
        cut = rng.choice((0.0, 0.2, 0.5)) * total
        limit = rng.choice((1, 5, 24, 10_000))

        expected = _reference_ranking(lists, total, cut, limit)

        assert CandidateIndex._ranked(lists, total, cut, limit, None) == expected
        if native_ranked is not None:  # it takes the lists rarest first, as `_ranked` sorts them
            rarest_first = sorted(lists, key=lambda pair: len(pair[0]))
            assert native_ranked(rarest_first, total, cut, limit) == expected
            assert native_ranked(rarest_first, total, cut, -1)[:limit] == expected

    def test_allowed_items_only(self) -> None:
        lists = [(array("i", [1, 2, 3, 4]), 1.0), (array("i", [2, 4]), 1.0)]

        assert CandidateIndex._ranked(lists, 2.0, 0.5, 10, {1, 4}) == [4, 1]
