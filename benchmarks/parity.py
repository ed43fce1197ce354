"""Compiled and interpreted screening give identical results (CI: `make parity`, after `make compile`).

    python -m benchmarks.parity [--dump FILE] [--allow-interpreted] [--generated 3000]

Without `--dump` it runs itself twice in subprocesses, once as installed (compiled modules when built) and once
with `FLRISK_PURE_PYTHON=1` (the same sources interpreted), and compares every answer: each eval-set row and
clean supplier (`tests/eval/`) matched against the shipped lists and again against the shipped lists plus 5,000
generated look-alike entities (the crowded case, where equal scores and equal posting lengths are common), each
nomenklatura pair compared, and `--generated` supplier names (benchmarks/names.py) matched against that crowded
index. Every result's entry, alias, score, band and features must be equal. Exit 1 on any difference, 2
when the first run is not compiled (unless `--allow-interpreted`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.match_quality import (
    DEFAULT_CLEAN,
    DEFAULT_NOMENKLATURA,
    DEFAULT_PAIRS,
    load_shipped_entries,
    query_of,
    read_rows,
)
from benchmarks.names import generate_entities, generate_queries
from service.native import build_mode
from service.screening.matcher import MatchIndex, MatchQuery, MatchResult, compare

Answer = list[list[object]]


def _answer(results: list[MatchResult]) -> Answer:
    return [[r.entry.source, r.entry.entry_id, r.matched_alias, r.score, r.band, r.features] for r in results]


def _clean_queries(row: dict[str, str]) -> list[MatchQuery]:
    chinese = row["chinese_name"] or None
    queries = [MatchQuery(row["name"], chinese_name=chinese, country=row["country"] or None,
                          address=row["address"] or None), MatchQuery(row["name"])]
    return queries + ([MatchQuery(chinese)] if chinese else [])


def answers(generated: int) -> dict[str, object]:
    """Every answer of this process's matcher on the evaluation inputs, keyed by input."""
    shipped = load_shipped_entries()
    index = MatchIndex.build(shipped)
    out: dict[str, object] = {"mode": build_mode()}
    big = MatchIndex.build(shipped + generate_entities(5000, seed=7))
    for row in read_rows(DEFAULT_PAIRS):
        out[f"pairs/{row['case_id']}"] = _answer(index.match(query_of(row)))
        out[f"crowded/pairs/{row['case_id']}"] = _answer(big.match(query_of(row)))
    for row in read_rows(DEFAULT_CLEAN):
        out[f"clean/{row['case_id']}"] = [_answer(index.match(q)) for q in _clean_queries(row)]
        out[f"crowded/clean/{row['case_id']}"] = [_answer(big.match(q)) for q in _clean_queries(row)]
    for n, case in enumerate(read_rows(DEFAULT_NOMENKLATURA)):
        kind = "person" if case["schema"] == "Person" else "company"
        pair = compare(MatchQuery(case["name1"], entity_type=kind), MatchQuery(case["name2"], entity_type=kind))
        out[f"nomenklatura/{n}"] = [pair.score, pair.band, pair.features]
    for n, query in enumerate(generate_queries(generated, shipped, seed=8)):
        out[f"generated/{n}"] = _answer(big.match(query))
    return out


def _run(env_extra: dict[str, str], generated: int) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        # The runs take different hash seeds (see env_extra): answers must not depend on set iteration order
        # (tests/screening/test_determinism.py), so a difference here is a determinism bug or a parity bug.
        env = {**os.environ, **env_extra}
        subprocess.run([sys.executable, "-m", "benchmarks.parity", "--dump", fh.name, "--generated", str(generated)],
                       check=True, env=env)
        loaded: dict[str, object] = json.loads(Path(fh.name).read_text(encoding="utf-8"))
        return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", type=Path, help="write this process's answers to FILE and stop")
    parser.add_argument("--generated", type=int, default=3000, help="generated supplier names screened")
    parser.add_argument("--allow-interpreted", action="store_true", help="do not fail when nothing is compiled")
    args = parser.parse_args(argv)
    if args.dump:
        args.dump.write_text(json.dumps(answers(args.generated), default=str, ensure_ascii=False), encoding="utf-8")
        return 0
    first = _run({"PYTHONHASHSEED": "1"}, args.generated)
    pure = _run({"PYTHONHASHSEED": "2", "FLRISK_PURE_PYTHON": "1"}, args.generated)
    mode, pure_mode = first.pop("mode"), pure.pop("mode")
    print(f"modes: {mode} vs {pure_mode}; {len(first)} inputs compared")
    differ = sorted(k for k in first.keys() | pure.keys() if first.get(k) != pure.get(k))
    for key in differ[:20]:
        print(f"DIFFERS {key}\n  first: {first.get(key)}\n  pure:  {pure.get(key)}")
    if differ:
        print(f"{len(differ)} inputs differ")
        return 1
    print("identical")
    if mode != "compiled" and not args.allow_interpreted:
        print("the first run was not compiled (run `make compile`)")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
