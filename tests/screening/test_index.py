"""Candidate retrieval: postings over names, aliases and Chinese names; no full scans."""

from __future__ import annotations

from service.screening.index import CandidateIndex, keys_of, trigrams
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
