"""Load time and peak memory of `flrisk relations update` on a golden-copy-sized GLEIF file (GENERATED data).

    python -m benchmarks.relations_load [--records 1000000] [--relationships 500000] [--seed 7] [--keep DIR]

Writes, into a temporary directory, a Level 1 LEI-CDF CSV of `--records` made-up LEI records and a Level 2
RR-CDF CSV of `--relationships` made-up relationships (the column layout of GLEIF's golden copy; names from
`benchmarks/names.py`: Chinese place + brand + industry + legal form, foreign firms), plus both as zips. Around
25 entities of the shipped lists get a made-up LEI record under their listed name, with subsidiaries, a
branch, a parent, sisters and an inactive relationship; everything else is noise. Then, for the CSV pair and
the zip pair, a fresh process runs the real update (`run_update`: stream, identify, keep two hops, write a
version to SQLite) and reports its wall time and peak RSS (`resource.getrusage`). Targets: <= 5 min, <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.gleif_layout import LEI_HEADER, RR_HEADER, lei, lei_row, rr_row, write_rows
from benchmarks.names import company_name, foreign_name

LISTED = 25  # listed entities given an LEI record
CHILDREN = 8  # generated subsidiaries per listed entity
FOREIGN = [("DE", "Stuttgart"), ("US", "Charlotte"), ("VN", "Binh Duong"), ("IN", "Tiruppur"), ("MY", "Penang")]
CN_CITIES = ["Ningbo", "Suzhou", "Wuxi", "Qingdao", "Xiamen", "Foshan", "Hefei", "Wuhan", "Chengdu"]


def bulk_lei(i: int) -> str:
    return lei(f"{i:013d}", prefix="BENCH")


def listed_entities() -> list[tuple[str, str, str]]:
    """(entry id, listed name, country) of shipped company entries in China."""
    from service.check.engines import snapshot_lists

    entries = [e for e in snapshot_lists().entries
               if e.match_by_name and e.entity_type == "company" and e.country == "CN"]
    return [(e.entry_id, e.name, "CN") for e in entries[::max(1, len(entries) // LISTED)][:LISTED]]


def lei_rows(records: int, listed: list[tuple[str, str, str]], rng: random.Random) -> Iterator[dict[str, str]]:
    for n, (_, name, country) in enumerate(listed):
        yield lei_row(lei(f"L{n:03d}", prefix="BENCH"), name.upper(), country, "Urumqi")
        for c in range(CHILDREN):
            latin, han = company_name(rng)
            yield lei_row(lei(f"L{n:03d}C{c:02d}", prefix="BENCH"), latin, "CN", rng.choice(CN_CITIES),
                          other_name=han)
    for i in range(records - len(listed) * (CHILDREN + 1)):
        if rng.random() < 0.6:
            latin, han = company_name(rng)
            yield lei_row(bulk_lei(i), latin, "CN", rng.choice(CN_CITIES), other_name=han if rng.random() < 0.5
                          else "", status="INACTIVE" if rng.random() < 0.03 else "ACTIVE")
        else:
            country, city = rng.choice(FOREIGN)
            yield lei_row(bulk_lei(i), foreign_name(rng), country, city)


def rr_rows(relationships: int, records: int, listed: int, rng: random.Random) -> Iterator[dict[str, str]]:
    written = 0
    for n in range(listed):
        parent = lei(f"L{n:03d}", prefix="BENCH")
        for c in range(CHILDREN):
            child = lei(f"L{n:03d}C{c:02d}", prefix="BENCH")
            kind = "IS_INTERNATIONAL_BRANCH_OF" if c == 0 else "IS_DIRECTLY_CONSOLIDATED_BY"
            yield rr_row(child, parent, kind, "INACTIVE" if c == 1 else "ACTIVE")
            written += 1
        yield rr_row(parent, bulk_lei(n), "IS_DIRECTLY_CONSOLIDATED_BY")  # a parent (and its other children)
        written += 1
    bulk = records - listed * (CHILDREN + 1)
    while written < relationships:
        child = rng.randrange(1, bulk)
        parent = rng.randrange(0, child)  # a forest: parents before children
        roll = rng.random()
        kind = ("IS_ULTIMATELY_CONSOLIDATED_BY" if roll < 0.3 else "IS_INTERNATIONAL_BRANCH_OF" if roll < 0.33
                else "IS_DIRECTLY_CONSOLIDATED_BY")
        yield rr_row(bulk_lei(child), bulk_lei(parent), kind, "INACTIVE" if rng.random() < 0.05 else "ACTIVE",
                     f"{rng.randint(51, 100)}" if rng.random() < 0.1 else "")
        written += 1


def generate(directory: Path, records: int, relationships: int, seed: int) -> tuple[Path, Path]:
    rng = random.Random(seed)
    listed = listed_entities()
    lei_path, rr_path = directory / "bench-lei2-golden-copy.csv", directory / "bench-rr-golden-copy.csv"
    with lei_path.open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, LEI_HEADER, lei_rows(records, listed, rng))
    with rr_path.open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, RR_HEADER, rr_rows(relationships, records, len(listed), rng))
    return lei_path, rr_path


def zipped(path: Path) -> Path:
    target = path.with_name(path.name + ".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, path.name)
    return target


def measure(lei_path: str, rr_path: str, database: str) -> dict[str, object]:
    """In this (fresh) process: the shipped lists into `database`, then the timed update."""
    from sqlalchemy.engine import Engine  # noqa: F401 - imported before timing, as a CLI run has it

    from service.bootstrap import prepare_database
    from service.relations.update import RelationsUpdate, run_update
    from service.settings import Settings
    from service.store.db import make_engine

    settings = Settings(database_url=database, secret_key="benchmark")
    engine = make_engine(database)
    prepare_database(engine, settings)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    outcome = run_update(engine, RelationsUpdate([lei_path, rr_path], hops=2), max_shrink_ratio=1.0)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                                                / 1024), "rss_before_mb": round(rss_before),
            "relations": outcome.relation_count, "message": outcome.message}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--relationships", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--measure", nargs=3, metavar=("LEI", "RR", "DATABASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0
    with tempfile.TemporaryDirectory(prefix="flrisk-gleif-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        lei_path, rr_path = generate(directory, args.records, args.relationships, args.seed)
        print(f"generated {args.records:,} LEI records ({lei_path.stat().st_size / 1e6:,.0f} MB) and "
              f"{args.relationships:,} relationships ({rr_path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - started:.0f} s")
        pairs = {"csv": (lei_path, rr_path), "zip": (zipped(lei_path), zipped(rr_path))}
        for label, (lei_file, rr_file) in pairs.items():
            database = f"sqlite:///{Path(tmp) / f'{label}.db'}"
            run = subprocess.run([sys.executable, "-m", "benchmarks.relations_load", "--measure", str(lei_file),
                                  str(rr_file), database], capture_output=True, text=True, check=True)
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"{label}: load {figures['seconds']} s, peak RSS {figures['peak_rss_mb']} MB "
                  f"(lists and index loaded: {figures['rss_before_mb']} MB); {figures['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
