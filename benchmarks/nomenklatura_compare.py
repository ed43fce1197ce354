"""Precision / recall / F1 of `compare()` on the nomenklatura name-pair benchmark.

A pair counts as a predicted match when `compare()` gives band review or strong (default thresholds).
Usage: python benchmarks/nomenklatura_compare.py [path-to-csv] [--errors]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from service.screening.matcher import MatchQuery, Thresholds, compare

DEFAULT = Path("/work/shared/data/benchmarks/name_pairs_nomenklatura.csv")
GROUPS = {"company/org": {"Company", "Organization", "LegalEntity"}, "person": {"Person"}}


def _prf(rows: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(1 for gold, pred in rows if gold and pred)
    fp = sum(1 for gold, pred in rows if not gold and pred)
    fn = sum(1 for gold, pred in rows if gold and not pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    show_errors = "--errors" in sys.argv
    thresholds = Thresholds()
    with path.open(encoding="utf-8") as fh:
        cases = list(csv.DictReader(fh))
    for label, schemas in GROUPS.items():
        kind = "person" if "Person" in schemas else "company"
        rows = []
        for case in (c for c in cases if c["schema"] in schemas):
            a = MatchQuery(case["name1"], entity_type=kind)  # type: ignore[arg-type]
            b = MatchQuery(case["name2"], entity_type=kind)  # type: ignore[arg-type]
            result = compare(a, b, thresholds=thresholds)
            gold, pred = case["is_match"] == "true", result.band is not None
            rows.append((gold, pred))
            if show_errors and gold != pred:
                print(f"  {'FN' if gold else 'FP'} {result.score:.3f} {case['name1']!r} ~ {case['name2']!r}")
        p, r, f1 = _prf(rows)
        print(f"{label}: n={len(rows)} precision={p:.3f} recall={r:.3f} f1={f1:.3f} "
              f"(review>={thresholds.review}, strong>={thresholds.strong})")


if __name__ == "__main__":
    main()
