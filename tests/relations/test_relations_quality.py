"""False alarms: relations from the test files add no hit on the labelled set's clean (no_match) names."""

from __future__ import annotations

from pathlib import Path

from benchmarks.match_quality import DEFAULT_PAIRS, Result, evaluate
from tests.relations.conftest import FTM_FILE, LEI_FILE, RR_FILE

FILES = [LEI_FILE, RR_FILE, FTM_FILE]


def no_match_counts(result: Result) -> dict[str, tuple[int, int]]:
    return {band: (int(f["fp"]), int(f["tn"])) for band, f in result["matcher"].items()}


def test_no_match_figures_are_unchanged_with_relations() -> None:
    without = evaluate(DEFAULT_PAIRS, None, baseline=False)
    with_relations = evaluate(DEFAULT_PAIRS, None, baseline=False, relations=FILES)
    assert no_match_counts(with_relations) == no_match_counts(without)
    assert with_relations["matcher"] == without["matcher"]


def test_a_related_name_counts_as_a_hit(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(DEFAULT_PAIRS.read_text("utf-8").splitlines()[0] + "\n"
                     "X1,Kestrel Crystal Materials Co Ltd,,CN,,,,no_match,test,a subsidiary of a listed entity\n",
                     "utf-8")
    assert no_match_counts(evaluate(pairs, None, baseline=False))["review"] == (0, 1)
    assert no_match_counts(evaluate(pairs, None, baseline=False, relations=FILES))["review"] == (1, 0)
