"""The public matching API on the shipped lists: persons, scripts, bands, one result per entry."""

from __future__ import annotations

import json
import sys
import threading
from functools import cache
from pathlib import Path

import pytest

from service.lists.parsers.snapshot_csv import read_snapshot_csv
from service.screening.matcher import (
    RECENT_QUERIES,
    MatchIndex,
    MatchQuery,
    MatchResult,
    Thresholds,
    compare,
    guess_entity_type,
)
from service.screening.model import ListEntry
from service.screening.person_names import person_similarity, person_tokens

LISTS = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@cache
def shipped_entries() -> list[ListEntry]:
    manifest = json.loads((LISTS / "manifest.json").read_text(encoding="utf-8"))
    return [e for source, meta in manifest["sources"].items()
            for e in read_snapshot_csv(LISTS / meta["file"], source=source)]


@cache
def shipped_index() -> MatchIndex:
    return MatchIndex.build(shipped_entries())


def ids(results: list[MatchResult]) -> list[str]:
    return [r.entry.entry_id for r in results]


class TestPersonNames:
    @pytest.mark.parametrize("variant", ["CHEN, Quanguo", "Chen Quan Guo", "Quanguo Chen", "chen quanguo",
                                         "陈全国", "陳全國", "QUANGUO CHEN"])
    def test_forms_of_one_name(self, variant: str) -> None:
        assert person_similarity(variant, "CHEN, Quanguo") == 1.0

    def test_comma_form_is_surname_first(self) -> None:
        assert person_tokens("CHEN, Quanguo") == ("chen", "quanguo")

    def test_different_given_name_is_not_a_match(self) -> None:
        assert person_similarity("Chen Mingguo", "CHEN, Quanguo") < Thresholds().review

    def test_shorter_han_name_is_not_a_match(self) -> None:
        assert person_similarity("王明", "WANG, Mingshan") < Thresholds().review

    def test_typo_in_surname_still_reviewable(self) -> None:
        assert person_similarity("Olaf Scholze", "Olaf Scholz") >= Thresholds().review

    @pytest.mark.parametrize("query", ["Chen Quan Guo", "陈全国", "Quanguo CHEN"])
    def test_index_finds_the_official(self, query: str) -> None:
        results = shipped_index().match(MatchQuery(query))
        assert ids(results)[0] == "ofac-004"
        assert results[0].features.to_dict()["method"] == "person_name"
        assert results[0].band == "strong"

    def test_person_query_typed_as_company_is_penalised(self) -> None:
        typed = compare(MatchQuery("Chen Quanguo", entity_type="company"), MatchQuery("Chen Quanguo",
                                                                                      entity_type="person"))
        assert typed.features.to_dict()["entity_type_conflict"] is True
        assert typed.band is None


class TestGuessEntityType:
    @pytest.mark.parametrize(("name", "kind"), [
        ("CHEN, Quanguo", "person"), ("Chen Quanguo", "person"), ("陈全国", "person"),
        ("Camel Group", "company"), ("Hoshine Silicon Industry Co., Ltd.", "company"), ("Esquel", "company"),
        ("新疆中泰集团有限公司", "company"), ("Xinjiang Zhongtai", "company"), ("Kingherbs Limited", "company"),
    ])
    def test_guess(self, name: str, kind: str) -> None:
        assert guess_entity_type(name) == kind


class TestShippedLists:
    def test_builds_over_matchable_entries(self) -> None:
        region_wide = [e for e in shipped_entries() if not e.match_by_name]
        assert [e.entry_id for e in region_wide] == ["cbp-011"]
        assert len(shipped_index()) == len(shipped_entries()) - 1

    @pytest.mark.parametrize(("query", "expected"), [
        ("Hoshine Silicon Industry Co Ltd", "cbp-012"),
        ("HOSHINE SILICON IND SHANSHAN CO LTD", "uflpa-003"),
        ("新疆東方希望有色金屬有限公司", "uflpa-004"),
        ("Xinjiang East Hope Nonferrous Metals", "bis-003"),
        ("合盛硅业股份有限公司", "cbp-012"),
        ("Hotan Haolin Hair Accessories", "uflpa-002"),
        ("Zhongtai Chemical Co Ltd", "uflpa-006"),
    ])
    def test_finds_expected_entry(self, query: str, expected: str) -> None:
        assert expected in ids(shipped_index().match(MatchQuery(query)))

    @pytest.mark.parametrize("query", ["Zhongtai Securities Co., Ltd.", "Ningbo Shanshan Co., Ltd.",
                                       "Xinjiang Tianshan Cement Co., Ltd.", "Siemens AG", "Western Digital"])
    def test_generic_token_traps_return_nothing(self, query: str) -> None:
        assert shipped_index().match(MatchQuery(query)) == []

    def test_one_result_per_entry_best_first(self) -> None:
        results = shipped_index().match(MatchQuery("Xinjiang Production and Construction Corps"))
        assert len(ids(results)) == len(set(ids(results)))
        assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
        assert {"uflpa-005", "ofac-002", "bis-005", "cbp-010"} <= set(ids(results))

    def test_only_review_or_strong_bands(self) -> None:
        results = shipped_index().match(MatchQuery("Xinjiang Zhongtai"))
        assert results
        assert all(r.band in {"review", "strong"} for r in results)
        assert all(r.score >= Thresholds().review for r in results)

    def test_custom_thresholds(self) -> None:
        strict = Thresholds(strong=0.999, review=0.999)
        assert ids(shipped_index().match(MatchQuery("Hosh1ne Silicon lndustry"), thresholds=strict)) == []

    def test_features_are_json_serialisable(self) -> None:
        results = shipped_index().match(MatchQuery("新疆合盛硅业有限公司", country="中国", xinjiang_place=True))
        assert results
        json.dumps([r.features.to_dict() for r in results])
        assert results[0].features.to_dict()["query_script"] == "han"


class TestEdgeCases:
    @pytest.mark.parametrize("name", ["", "   ", "()", "---", "Co., Ltd.", "有限公司"])
    def test_degenerate_names_do_not_crash_or_match(self, name: str) -> None:
        assert shipped_index().match(MatchQuery(name)) == []
        assert compare(MatchQuery(name), MatchQuery("Hoshine Silicon Industry")).band is None

    def test_empty_candidate_name(self) -> None:
        assert compare(MatchQuery("Hoshine"), MatchQuery("")).score == 0.0


class TestRecentAnswers:
    def test_repeated_query_gets_equal_results_it_cannot_corrupt(self) -> None:
        index = MatchIndex.build(shipped_entries())
        first = index.match(MatchQuery("Hoshine Silicon Industry Co Ltd"))
        expected = ids(first)
        first.clear()
        again = index.match(MatchQuery("Hoshine Silicon Industry Co Ltd"))
        assert ids(again) == expected
        assert {"uflpa-003", "cbp-012", "bis-004"} <= set(expected)
        assert ids(index.match(MatchQuery("Hoshine Silicon Industry Co Ltd"), sources=["ofac_sdn"])) == []

    def test_many_threads_share_the_answers(self) -> None:
        index = MatchIndex.build(shipped_entries())
        failures: list[BaseException] = []

        def screen(start: int) -> None:
            try:
                for i in range(start, start + RECENT_QUERIES):  # every thread keeps evicting
                    index.match(MatchQuery(f"Supplier {i % (RECENT_QUERIES + 500)}"))
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)

        threads = [threading.Thread(target=screen, args=(k * 700,)) for k in range(6)]
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race if there is one
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.setswitchinterval(interval)
        assert failures == []
        assert len(index._recent) <= RECENT_QUERIES

    def test_answers_are_bounded(self) -> None:
        index = MatchIndex.build(shipped_entries())
        for i in range(RECENT_QUERIES + 10):
            index.match(MatchQuery(f"Supplier {i}"))
        assert len(index._recent) == RECENT_QUERIES


class TestPruning:
    @pytest.mark.parametrize("query", [
        MatchQuery("Hoshine Silicon Industry Co Ltd"), MatchQuery("Xinjiang Zhong Tai Chemical", country="CN"),
        MatchQuery("XPCC"), MatchQuery("陈全国"), MatchQuery("Chen Quan Guo", entity_type="person"),
        MatchQuery("Xinjiang Cotton Textile Co", address="Aksu, Xinjiang", xinjiang_place=True),
        MatchQuery("新疆棉花集团"),
    ])
    def test_same_results_as_scoring_every_candidate(self, query: MatchQuery) -> None:
        pruned = MatchIndex.build(shipped_entries()).match(query)
        index = MatchIndex.build(shipped_entries())  # a new index: no remembered answers
        index.prune = False
        unpruned = index.match(query)
        assert [(r.entry.entry_id, r.matched_alias, r.score, r.features) for r in pruned] == [
            (r.entry.entry_id, r.matched_alias, r.score, r.features) for r in unpruned]


class TestOtherProvinces:
    """An alias without a place still belongs to an entry that has one."""

    @pytest.mark.parametrize("name", ["Tibet Autonomous Region Public Security Department",
                                      "Ningxia Public Security Department"])
    def test_another_regions_bureau_is_not_the_xinjiang_bureau(self, name: str) -> None:
        assert "ofac-001" not in ids(shipped_index().match(MatchQuery(name)))

    @pytest.mark.parametrize("name", ["Public Security Department of the Autonomous Region",
                                      "Xinjiang Public Security Bureau"])
    def test_the_xinjiang_bureau_still_matches(self, name: str) -> None:
        results = shipped_index().match(MatchQuery(name))
        assert ids(results)[0] == "ofac-001"
        assert results[0].band == "strong"
