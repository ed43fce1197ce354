"""Matcher speed on the shipped snapshot plus generated extra entities (on demand, not in CI).

    python -m benchmarks.match_speed [--extra 50000] [--queries 100000] [--naive-sample 500] [--seed 7]

Prints index build time, records/s on one core, p50/p99 per record, peak RSS, and the speed ratio to
the naive screen (`rapidfuzz.process.extractOne(..., scorer=fuzz.WRatio)` over every name) measured on
the first --naive-sample queries. Extra entities and supplier names come from benchmarks/names.py.
Times are CPU seconds of this process (`time.process_time()`), so other load on a shared machine moves them
less than wall-clock figures; the build time is also given as wall clock. The header names the mode
(compiled or interpreted, `service.native.build_mode()`) and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from benchmarks.match_quality import load_shipped_entries
from benchmarks.names import generate_entities, generate_queries
from service.native import build_mode
from service.screening.matcher import MatchIndex, MatchQuery
from service.screening.model import ListEntry

TARGETS = {"build_s": 3.0, "records_per_s": 5000.0, "naive_ratio": 10.0, "rss_mb": 400.0}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _screen(index: MatchIndex, queries: list[MatchQuery]) -> tuple[list[float], int]:
    """CPU seconds per query and the number of queries with at least one review/strong result."""
    times: list[float] = []
    hits = 0
    clock = time.process_time
    for query in queries:
        start = clock()
        hits += bool(index.match(query))
        times.append(clock() - start)
    return times, hits


def _naive(entries: list[ListEntry], queries: list[MatchQuery]) -> float:
    """Mean seconds per query of the naive extractOne WRatio loop over every name."""
    names = [n for e in entries if e.match_by_name for n in e.all_names]
    start = time.process_time()
    for query in queries:
        for text in filter(None, (query.name, query.chinese_name)):
            process.extractOne(text, names, scorer=fuzz.WRatio, processor=default_process)
    return (time.process_time() - start) / max(1, len(queries))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(extra: int, queries: int, naive_sample: int, seed: int) -> dict[str, float]:
    shipped = load_shipped_entries()
    entries = shipped + generate_entities(extra, seed=seed)
    batch = generate_queries(queries, shipped, seed=seed + 1)
    load = os.getloadavg()[0]
    start, wall = time.process_time(), time.perf_counter()
    index = MatchIndex.build(entries)
    build_s, build_wall = time.process_time() - start, time.perf_counter() - wall
    times, hits = _screen(index, batch)
    sample = batch[:naive_sample]
    ours_sample = statistics.fmean(times[: len(sample)]) if sample else 0.0
    naive = _naive(entries, sample) if sample else 0.0
    return {
        "entries": len(entries), "extra": extra, "queries": len(batch), "hits": hits, "build_s": build_s,
        "build_wall_s": build_wall, "load": load,
        "records_per_s": len(times) / sum(times), "p50_ms": _pct(times, 0.50) * 1000,
        "p99_ms": _pct(times, 0.99) * 1000, "naive_ms": naive * 1000, "naive_sample": len(sample),
        "naive_ratio": naive / ours_sample if ours_sample else 0.0, "rss_mb": _peak_rss_mb(),
    }


def render(r: dict[str, float]) -> str:
    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    return "\n".join([
        f"Mode: {build_mode()}; load average {r['load']:.2f} at start; times are CPU seconds of this process",
        f"Index: {r['entries']:.0f} entries = shipped snapshot + {r['extra']:.0f} GENERATED entities "
        f"(benchmarks/names.py, not real companies)",
        f"Queries: {r['queries']:.0f} generated supplier names (~5% true variants of listed entities); "
        f"{r['hits']:.0f} returned a review/strong result (listed or generated entry)",
        f"  index build        {r['build_s']:8.2f} s      target <= {TARGETS['build_s']:.0f} s   "
        f"{mark(r['build_s'] <= TARGETS['build_s'])}   ({r['build_wall_s']:.2f} s wall clock)",
        f"  throughput (1 core){r['records_per_s']:8.0f} rec/s  target >= {TARGETS['records_per_s']:.0f}   "
        f"{mark(r['records_per_s'] >= TARGETS['records_per_s'])}",
        f"  latency p50 / p99  {r['p50_ms']:8.3f} / {r['p99_ms']:.3f} ms per record",
        f"  naive WRatio loop  {r['naive_ms']:8.2f} ms per record on {r['naive_sample']:.0f} queries; "
        f"ours is {r['naive_ratio']:.1f}x faster   target >= {TARGETS['naive_ratio']:.0f}x   "
        f"{mark(r['naive_ratio'] >= TARGETS['naive_ratio'])}",
        f"  peak RSS           {r['rss_mb']:8.0f} MB     target <= {TARGETS['rss_mb']:.0f} MB  "
        f"{mark(r['rss_mb'] <= TARGETS['rss_mb'])}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", type=int, default=50_000, help="generated entities added to the index")
    parser.add_argument("--queries", type=int, default=100_000, help="generated supplier names to screen")
    parser.add_argument("--naive-sample", type=int, default=500, help="queries timed with the naive loop")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(render(run(args.extra, args.queries, args.naive_sample, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
