"""Matcher quality: precision / recall / F1 on the hand-labelled eval set and on nomenklatura's name pairs.

    python -m benchmarks.match_quality [--pairs tests/eval/pairs.csv] [--nomenklatura PATH] [--errors] [--check]

Eval set (`tests/eval/pairs.csv`), at each threshold t of `Thresholds()` (strong, review):
- `match` row: TP when the expected entry is among the results scoring >= t, else FN; when it is missing
  and some other entry scores >= t, that row also counts one FP (a wrong hit was shown). Other entries
  next to the expected one are not counted: duplicates of one entity across lists (XPCC is on four) and
  parent/subsidiary pairs legitimately come back together.
- `no_match` row: FP when any entry scores >= t, else TN.
- `partial` row (a parent or sister of a listed company, or the listed name without its distinguishing
  qualifier): a positive in the review band (it must come back for review), a negative in the strong band
  (it must never reach the presumption): FP there when the expected entry scores >= strong.
Chinese-script recall: review-band recall over the match rows whose query holds Han characters.
Clean suppliers (`tests/eval/clean_suppliers.csv`, real unlisted companies with English and Chinese names and
addresses): each is screened as the whole record, as its English name alone and as its Chinese name alone;
a row is a false alarm when any of the three gives a result at review or above. Target: none.
The baseline is the naive screen: `rapidfuzz.process.extractOne(query, all_names, scorer=fuzz.WRatio,
processor=default_process)` over every name, alias and Chinese name of the matchable entries (score/100;
the query's Chinese name, when given, is tried as a second query). Same thresholds, same counting.

Nomenklatura pairs: `compare()` per pair; predicted match = band review or strong. Company rows are
Company + Organization + LegalEntity (266 pairs, the set the reference F1 0.872 of logic-v2 was measured on).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from service.lists.parsers.snapshot_csv import read_snapshot_csv
from service.paths import fixtures_dir
from service.screening.chinese import has_han
from service.screening.matcher import Kind, MatchIndex, MatchQuery, Thresholds, compare
from service.screening.model import ListEntry
from service.screening.ownership import ownership_findings
from service.screening.relations import RelationsView

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAIRS = REPO / "tests" / "eval" / "pairs.csv"
DEFAULT_NOMENKLATURA = REPO / "tests" / "eval" / "name_pairs_nomenklatura.csv"
DEFAULT_CLEAN = REPO / "tests" / "eval" / "clean_suppliers.csv"
NOMENKLATURA_GROUPS = {"company": {"Company", "Organization", "LegalEntity"}, "person": {"Person"}}
REFERENCE_COMPANY_F1 = 0.872  # nomenklatura logic-v2 (4.17.4), company+organisation rows, threshold 0.70
TARGETS = {"review_recall": 0.97, "review_precision": 0.95, "strong_precision": 0.99, "nomenklatura_company_f1": 0.90,
           "clean_false_alarms": 0}

EntryKey = tuple[str, str]  # (source, entry_id)
Scorer = Callable[[dict[str, str]], dict[EntryKey, float]]  # eval row -> best score per entry
Figures = dict[str, float]  # precision, recall, f1, tp, fp, fn, tn


class Result(TypedDict):
    thresholds: dict[str, float]
    rows: dict[str, int]
    matcher: dict[str, Figures]  # band ("strong", "review") -> figures
    baseline: NotRequired[dict[str, Figures]]
    nomenklatura: NotRequired[dict[str, dict[str, Figures]]]  # "company"/"person" -> "matcher"/"baseline"
    chinese_script_recall: NotRequired[float]
    clean: NotRequired[dict[str, int]]  # rows, false_alarms


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def as_dict(self) -> Figures:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f1, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


def load_shipped_entries() -> list[ListEntry]:
    """Every entry of the shipped snapshot, read through `fixtures/lists/manifest.json`."""
    lists = fixtures_dir() / "lists"
    manifest = json.loads((lists / "manifest.json").read_text(encoding="utf-8"))
    entries: list[ListEntry] = []
    for source, meta in manifest["sources"].items():
        entries.extend(read_snapshot_csv(lists / meta["file"], source=source))
    return entries


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def query_of(row: dict[str, str]) -> MatchQuery:
    return MatchQuery(name=row["query_name"], chinese_name=row["query_chinese_name"] or None,
                      country=row["query_country"] or None, address=row["query_address"] or None)


def matcher_scorer(entries: list[ListEntry], relations: RelationsView | None = None) -> Scorer:
    """With `relations`, an entry reached through a related organisation (an ownership item that is not
    informational) counts as a hit too, scored by the party's match on that organisation."""
    index = MatchIndex.build(entries)

    def score(row: dict[str, str]) -> dict[EntryKey, float]:
        query = query_of(row)
        found = {(r.entry.source, r.entry.entry_id): r.score for r in index.match(query, limit=10)}
        if relations is not None:
            for f in ownership_findings(relations.index.match(query, limit=10), relations.graph):
                key = (f.entry.source, f.entry.entry_id)
                if f.effect != "informational" and f.match.score > found.get(key, 0.0):
                    found[key] = f.match.score
        return found

    return score


def relations_view(entries: list[ListEntry], files: list[Path]) -> RelationsView:
    """The relations read from GLEIF / FtM files around the shipped entries, as `flrisk check --relations`."""
    from service.check.engines import local_relations
    from service.lists.active import ActiveLists

    return local_relations(ActiveLists.from_entries({}, entries), files, max_hops=2)


def baseline_scorer(entries: list[ListEntry]) -> Scorer:
    owners: dict[str, list[EntryKey]] = {}
    for entry in entries:
        if entry.match_by_name:
            for name in entry.all_names:
                owners.setdefault(name, []).append((entry.source, entry.entry_id))
    names = list(owners)

    def score(row: dict[str, str]) -> dict[EntryKey, float]:
        found: dict[EntryKey, float] = {}
        for text in filter(None, (row["query_name"], row["query_chinese_name"])):
            hit = process.extractOne(text, names, scorer=fuzz.WRatio, processor=default_process)
            if hit is not None:
                for key in owners[hit[0]]:
                    found[key] = max(found.get(key, 0.0), hit[1] / 100)
        return found

    return score


def _count(rows: Iterable[dict[str, str]], scores: list[dict[EntryKey, float]], threshold: float,
           errors: list[str] | None = None, *, strong: bool = False) -> Counts:
    counts = Counts()
    for row, found in zip(rows, scores, strict=True):
        hits = {key for key, s in found.items() if s >= threshold}
        if row["label"] == "partial" and strong:  # must not reach the presumption
            if (row["expected_source"], row["expected_entry_id"]) in hits:
                counts.fp += 1
            else:
                counts.tn += 1
                continue
        elif row["label"] in {"match", "partial"}:
            expected = (row["expected_source"], row["expected_entry_id"])
            if expected in hits:
                counts.tp += 1
                continue
            counts.fn += 1
            counts.fp += bool(hits)
        elif hits:
            counts.fp += 1
        else:
            counts.tn += 1
            continue
        if errors is not None and (not strong or row["label"] == "partial"):
            best = max(found.items(), key=lambda kv: kv[1], default=(("", "-"), 0.0))
            kind = "FN" if row["label"] in {"match", "partial"} and not strong else "FP"
            kind += " (strong)" if strong else ""
            errors.append(f"{kind} {row['case_id']} [{row['category']}] {row['query_name']!r} "
                          f"{row['query_chinese_name']!r} expected={row['expected_entry_id'] or '-'} "
                          f"best={best[0][1]}:{best[1]:.3f}")
    return counts


def _eval_set(rows: list[dict[str, str]], scorer: Scorer, thresholds: Thresholds,
              errors: list[str] | None) -> dict[str, Figures]:
    scores = [scorer(row) for row in rows]
    return {
        "strong": _count(rows, scores, thresholds.strong, errors, strong=True).as_dict(),
        "review": _count(rows, scores, thresholds.review, errors).as_dict(),
    }


def chinese_script_recall(rows: list[dict[str, str]], scorer: Scorer, thresholds: Thresholds) -> float:
    """Review-band recall over the match rows whose query holds Han characters."""
    han = [r for r in rows if r["label"] == "match" and has_han(r["query_name"] + r["query_chinese_name"])]
    found = sum((r["expected_source"], r["expected_entry_id"]) in
                {k for k, v in scorer(r).items() if v >= thresholds.review} for r in han)
    return found / len(han) if han else 0.0


def clean_false_alarms(path: Path, index: MatchIndex, errors: list[str] | None = None) -> dict[str, int]:
    """Real unlisted companies: a false alarm when the record, its English or its Chinese name gives a result."""
    rows = read_rows(path)
    alarms = 0
    for row in rows:
        chinese = row["chinese_name"] or None
        queries = [MatchQuery(row["name"], chinese_name=chinese, country=row["country"] or None,
                              address=row["address"] or None), MatchQuery(row["name"])]
        queries += [MatchQuery(chinese)] if chinese else []
        found = [r for q in queries for r in index.match(q)]
        if found:
            alarms += 1
            if errors is not None:
                best = max(found, key=lambda r: r.score)
                errors.append(f"FP {row['case_id']} [clean] {row['name']!r} {chinese!r} "
                              f"best={best.entry.entry_id}:{best.score:.3f}")
    return {"rows": len(rows), "false_alarms": alarms}


def _nomenklatura(path: Path, thresholds: Thresholds) -> dict[str, dict[str, Figures]]:
    cases = read_rows(path)
    out: dict[str, dict[str, Figures]] = {}
    for group, schemas in NOMENKLATURA_GROUPS.items():
        ours, naive = Counts(), Counts()
        for case in (c for c in cases if c["schema"] in schemas):
            gold = case["is_match"] == "true"
            kind: Kind = "person" if group == "person" else "company"
            pair = compare(MatchQuery(case["name1"], entity_type=kind), MatchQuery(case["name2"], entity_type=kind),
                           thresholds=thresholds)
            _tally(ours, gold, pair.band is not None)
            wratio = fuzz.WRatio(case["name1"], case["name2"], processor=default_process) / 100
            _tally(naive, gold, wratio >= thresholds.review)
        out[group] = {"matcher": ours.as_dict(), "baseline": naive.as_dict()}
    return out


def _tally(counts: Counts, gold: bool, predicted: bool) -> None:
    if gold and predicted:
        counts.tp += 1
    elif predicted:
        counts.fp += 1
    elif gold:
        counts.fn += 1
    else:
        counts.tn += 1


def evaluate(pairs: Path = DEFAULT_PAIRS, nomenklatura: Path | None = DEFAULT_NOMENKLATURA, *,
             baseline: bool = True, errors: list[str] | None = None, clean: Path | None = DEFAULT_CLEAN,
             relations: list[Path] | None = None) -> Result:
    """All figures as a dict: eval-set P/R/F1 per band for the matcher (and baseline), nomenklatura P/R/F1.
    `relations`: GLEIF / FtM files whose ownership paths count as matcher hits too."""
    thresholds = Thresholds()
    entries = load_shipped_entries()
    view = relations_view(entries, relations) if relations else None
    rows = read_rows(pairs)
    scorer = matcher_scorer(entries, view)
    result: Result = {
        "thresholds": {"strong": thresholds.strong, "review": thresholds.review},
        "rows": {label: sum(r["label"] == label for r in rows) for label in ("match", "partial", "no_match")},
        "matcher": _eval_set(rows, scorer, thresholds, errors),
        "chinese_script_recall": chinese_script_recall(rows, scorer, thresholds),
    }
    if clean is not None and clean.is_file():
        result["clean"] = clean_false_alarms(clean, MatchIndex.build(entries), errors)
    if baseline:
        result["baseline"] = _eval_set(rows, baseline_scorer(entries), thresholds, None)
    if nomenklatura is not None and nomenklatura.is_file():
        result["nomenklatura"] = _nomenklatura(nomenklatura, thresholds)
    return result


def missed_targets(result: Result) -> list[str]:
    review, strong = result["matcher"]["review"], result["matcher"]["strong"]
    missed = []
    if review["recall"] < TARGETS["review_recall"]:
        missed.append(f"review recall {review['recall']:.3f} < {TARGETS['review_recall']}")
    if review["precision"] < TARGETS["review_precision"]:
        missed.append(f"review precision {review['precision']:.3f} < {TARGETS['review_precision']}")
    if strong["precision"] < TARGETS["strong_precision"]:
        missed.append(f"strong precision {strong['precision']:.3f} < {TARGETS['strong_precision']}")
    if "clean" in result and result["clean"]["false_alarms"] > TARGETS["clean_false_alarms"]:
        missed.append(f"{result['clean']['false_alarms']} clean suppliers flagged > {TARGETS['clean_false_alarms']}")
    if "nomenklatura" in result:
        f1 = result["nomenklatura"]["company"]["matcher"]["f1"]
        if f1 < TARGETS["nomenklatura_company_f1"]:
            missed.append(f"nomenklatura company F1 {f1:.3f} < {TARGETS['nomenklatura_company_f1']}")
    return missed


def _line(label: str, m: Figures) -> str:
    return (f"  {label:<28} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}   "
            f"tp {m['tp']:>4} fp {m['fp']:>4} fn {m['fn']:>4} tn {m['tn']:>4}")


def render(result: Result) -> str:
    t, rows = result["thresholds"], result["rows"]
    out = [f"Eval set: {rows['match']} match rows, {rows.get('partial', 0)} partial rows, {rows['no_match']} no_match "
           f"rows (strong >= {t['strong']}, review >= {t['review']})"]
    measured = {"matcher": result["matcher"], **({"baseline": result["baseline"]} if "baseline" in result else {})}
    for who, bands in measured.items():
        for band in ("strong", "review"):
            out.append(_line(f"{who} @ {band}", bands[band]))
    if "chinese_script_recall" in result:
        out.append(f"  Chinese-script recall (review band)  {result['chinese_script_recall']:.3f}")
    if "clean" in result:
        out.append(f"Clean suppliers: {result['clean']['false_alarms']} of {result['clean']['rows']} real unlisted "
                   f"companies flagged at review or above")
    if "nomenklatura" in result:
        out.append(f"Nomenklatura pairs (predicted match = band review or strong; reference logic-v2 company "
                   f"F1 {REFERENCE_COMPANY_F1}):")
        for group, figures in result["nomenklatura"].items():
            for who, m in figures.items():
                out.append(_line(f"{group} / {who}", m))
    else:
        out.append("Nomenklatura pairs: skipped (file not found)")
    out.append("Targets: review R >= 0.97 at P >= 0.95, strong P >= 0.99, nomenklatura company F1 >= 0.90, "
               "no clean supplier flagged")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--nomenklatura", type=Path, default=DEFAULT_NOMENKLATURA)
    parser.add_argument("--clean", type=Path, default=DEFAULT_CLEAN, help="real unlisted suppliers (CSV)")
    parser.add_argument("--errors", action="store_true", help="list the eval rows missed at the review band")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--relations", type=Path, nargs="+", metavar="FILE",
                        help="GLEIF LEI-CDF + RR-CDF and/or FtM files: ownership paths count as matcher hits")
    args = parser.parse_args(argv)
    errors: list[str] | None = [] if args.errors else None
    result = evaluate(args.pairs, args.nomenklatura, errors=errors, clean=args.clean, relations=args.relations)
    if args.relations:
        print(f"Relations loaded from {', '.join(p.name for p in args.relations)}: a no_match row whose party "
              "matches a related organisation with a path to any entry counts as a false positive")
    print(render(result))
    if errors:
        print("\nMisses (FN at review; FP at review, or partial rows at strong; clean suppliers flagged) -- do not "
              "tune thresholds to single rows:")
        print("\n".join(f"  {e}" for e in errors))
    missed = missed_targets(result)
    if missed:
        print("\nTargets missed: " + "; ".join(missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
