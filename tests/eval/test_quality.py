"""Matcher quality gates on the hand-labelled eval set and nomenklatura's name pairs (see README.md here).

The quality tests fail while the matcher misses a target; fix the matcher, never the labels of single rows.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.match_quality import (
    DEFAULT_CLEAN,
    DEFAULT_NOMENKLATURA,
    DEFAULT_PAIRS,
    TARGETS,
    Result,
    evaluate,
    load_shipped_entries,
)

COLUMNS = ["case_id", "query_name", "query_chinese_name", "query_country", "query_address",
           "expected_source", "expected_entry_id", "label", "category", "why"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, str]]:
    return _rows(DEFAULT_PAIRS)


@pytest.fixture(scope="module")
def result() -> Result:
    return evaluate(DEFAULT_PAIRS, DEFAULT_NOMENKLATURA, baseline=False)


class TestPairsFile:
    def test_columns(self) -> None:
        with DEFAULT_PAIRS.open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == COLUMNS

    def test_at_least_300_of_each_label(self, pairs: list[dict[str, str]]) -> None:
        labels = Counter(row["label"] for row in pairs)
        assert set(labels) == {"match", "partial", "no_match"}
        assert labels["match"] >= 300
        assert labels["no_match"] >= 300

    def test_case_ids_unique(self, pairs: list[dict[str, str]]) -> None:
        ids = [row["case_id"] for row in pairs]
        assert len(ids) == len(set(ids))

    def test_every_row_has_query_category_and_why(self, pairs: list[dict[str, str]]) -> None:
        incomplete = [row["case_id"] for row in pairs
                      if not (row["query_name"].strip() and row["category"].strip() and row["why"].strip())]
        assert incomplete == []

    def test_match_rows_name_a_shipped_entry(self, pairs: list[dict[str, str]]) -> None:
        shipped = {(e.source, e.entry_id) for e in load_shipped_entries() if e.match_by_name}
        unknown = [row["case_id"] for row in pairs if row["label"] in {"match", "partial"}
                   and (row["expected_source"], row["expected_entry_id"]) not in shipped]
        assert unknown == []

    def test_no_match_rows_name_no_entry(self, pairs: list[dict[str, str]]) -> None:
        named = [row["case_id"] for row in pairs
                 if row["label"] == "no_match" and (row["expected_source"] or row["expected_entry_id"])]
        assert named == []

    def test_no_match_rows_are_not_listed_names(self, pairs: list[dict[str, str]]) -> None:
        listed = {name.casefold() for e in load_shipped_entries() for name in e.all_names}
        clashes = [row["case_id"] for row in pairs if row["label"] == "no_match"
                   and {row["query_name"].casefold(), row["query_chinese_name"].casefold()} & listed]
        assert clashes == []

    def test_sorted_by_category_then_case_id(self, pairs: list[dict[str, str]]) -> None:
        keys = [(row["category"], row["case_id"]) for row in pairs]
        assert keys == sorted(keys)


class TestCleanSuppliersFile:
    def test_columns_and_size(self) -> None:
        rows = _rows(DEFAULT_CLEAN)
        assert list(rows[0]) == ["case_id", "name", "chinese_name", "country", "address", "why"]
        assert len(rows) >= 300
        assert sum(bool(r["chinese_name"]) for r in rows) >= 250
        assert all(r["name"] and r["address"] and r["country"] and r["why"] for r in rows)

    def test_none_is_a_listed_name(self) -> None:
        listed = {name.casefold() for e in load_shipped_entries() for name in e.all_names}
        assert [r["case_id"] for r in _rows(DEFAULT_CLEAN)
                if {r["name"].casefold(), r["chinese_name"].casefold()} & listed] == []


class TestEvalSetQuality:
    def test_no_clean_supplier_flagged(self, result: Result) -> None:
        assert result["clean"]["false_alarms"] == TARGETS["clean_false_alarms"]

    def test_chinese_script_recall(self, result: Result) -> None:
        assert result["chinese_script_recall"] >= TARGETS["review_recall"]

    def test_review_recall(self, result: Result) -> None:
        assert result["matcher"]["review"]["recall"] >= TARGETS["review_recall"]

    def test_review_precision(self, result: Result) -> None:
        assert result["matcher"]["review"]["precision"] >= TARGETS["review_precision"]

    def test_strong_precision(self, result: Result) -> None:
        assert result["matcher"]["strong"]["precision"] >= TARGETS["strong_precision"]


class TestNomenklaturaQuality:
    def test_company_f1(self, result: Result) -> None:
        assert result["nomenklatura"]["company"]["matcher"]["f1"] >= TARGETS["nomenklatura_company_f1"]

    def test_company_rows_are_the_reference_set(self, result: Result) -> None:
        counts = result["nomenklatura"]["company"]["matcher"]
        assert counts["tp"] + counts["fp"] + counts["fn"] + counts["tn"] == 266
