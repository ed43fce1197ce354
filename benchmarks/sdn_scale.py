"""The matcher at the scale of a global list: the full OFAC SDN file next to the shipped lists.

    python -m benchmarks.sdn_scale --sdn-dir DIR [--variants 1000] [--clean 1000] [--seed 5]

DIR holds OFAC's legacy SDN CSV trio (sdn.csv, alt.csv, add.csv). The figures in README.md were measured on the
set Moov Watchman ships as benchmark data, `test/testdata/bench/` of github.com/moov-io/watchman (commit
d299005; 8,976 entries, 11,910 aliases; Apache-2.0): copy the three files into DIR. They are not committed
here (2.5 MB); `tests/data/formats` keeps a trimmed sample of the same layout.

Prints, at the default thresholds:
- recall: variants found at review or above as their own entry. Variants are mechanical rewrites of real listed
  names and aliases (upper/lower case, punctuation dropped, "SURNAME, Given" turned around, a middle name dropped,
  one typo, a legal form written out or dropped, an attention clause appended), never invented names;
- clean names flagged: real company names not on the SDN list (the project's clean-supplier set and the eval
  set's real-company negatives; nomenklatura's names are left out, as many are sanctioned entities) that get any
  result at review or above;
- exact names missed: listed primary names, typed as listed, that do not come back as their own entry;
- CPU per query (one core, `time.process_time`).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.match_quality import DEFAULT_CLEAN, DEFAULT_PAIRS, load_shipped_entries
from service.lists.parsers.ofac import read_ofac
from service.screening.matcher import MatchIndex, MatchQuery
from service.screening.model import OFAC_SDN, ListEntry
from service.screening.normalize import fold

REAL_NEGATIVES = {"shared_brand", "shared_place", "shared_sector", "foreign_firm", "government"}
LEGAL_WRITTEN = {"LTD": "LIMITED", "LTD.": "LIMITED", "CO.": "COMPANY", "CO": "COMPANY", "INC.": "INCORPORATED",
                 "CORP.": "CORPORATION", "S.A.": "SA", "LLC": "L.L.C."}


def load(sdn_dir: Path) -> list[ListEntry]:
    sdn = read_ofac([sdn_dir / "sdn.csv", sdn_dir / "alt.csv", sdn_dir / "add.csv"])
    return [e for e in load_shipped_entries() if e.source != OFAC_SDN] + sdn


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j] + w[j:]])
    return " ".join(words)


def _person(name: str, rng: random.Random) -> str:
    if name.count(",") != 1:
        return name
    surname, given = (p.strip() for p in name.split(","))
    parts = given.split()
    if len(parts) >= 2 and rng.random() < 0.5:
        parts = parts[:1]  # a middle name dropped
    return f"{' '.join(parts)} {surname}"


def _legal(name: str, rng: random.Random) -> str:
    words = name.split()
    if words and words[-1].upper() in LEGAL_WRITTEN:
        words[-1] = LEGAL_WRITTEN[words[-1].upper()] if rng.random() < 0.6 else ""
    return " ".join(w for w in words if w)


REWRITES: list[tuple[str, Callable[[str, random.Random], str]]] = [
    ("lower case", lambda n, r: n.lower()),
    ("title case", lambda n, r: n.title()),
    ("punctuation dropped", lambda n, r: re.sub(r"[^\w\s]", " ", n)),
    ("one typo", _typo),
    ("person turned around", _person),
    ("legal form written out or dropped", _legal),
    ("attention clause", lambda n, r: f"{n} Attn: Accounts Payable"),
]


def variants(entries: list[ListEntry], n: int, rng: random.Random) -> list[tuple[MatchQuery, ListEntry, str]]:
    sdn = [e for e in entries if e.source == OFAC_SDN and e.match_by_name]
    out: list[tuple[MatchQuery, ListEntry, str]] = []
    while len(out) < n:
        entry = rng.choice(sdn)
        name = rng.choice(entry.all_names)
        how, rewrite = rng.choice(REWRITES)
        if how == "person turned around" and entry.entity_type != "person":
            continue
        query = rewrite(name, rng)
        if len(fold(query).replace(" ", "")) < 3:
            continue
        out.append((MatchQuery(query), entry, how))
    return out


def clean_names(entries: list[ListEntry], n: int) -> list[str]:
    """Real unlisted company names from the project's own files, none a name on the lists."""
    found: list[str] = []
    with DEFAULT_CLEAN.open(encoding="utf-8", newline="") as fh:
        found += [r["name"] for r in csv.DictReader(fh)]
    with DEFAULT_PAIRS.open(encoding="utf-8", newline="") as fh:
        found += [r["query_name"] for r in csv.DictReader(fh)
                  if r["label"] == "no_match" and r["category"] in REAL_NEGATIVES]
    listed = {" ".join(fold(name).split()) for e in entries for name in e.all_names}
    unique = dict.fromkeys(n for n in found if " ".join(fold(n).split()) not in listed)
    return list(unique)[:n]


def _timed(index: MatchIndex, query: MatchQuery) -> tuple[list[tuple[str, str]], float]:
    start = time.process_time()
    found = index.match(query)
    return [(r.entry.source, r.entry.entry_id) for r in found], time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sdn-dir", type=Path, required=True)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--clean", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    entries = load(args.sdn_dir)
    started = time.perf_counter()
    index = MatchIndex.build(entries)
    print(f"Index: {len(entries)} entries ({sum(e.source == OFAC_SDN for e in entries)} SDN, "
          f"{sum(len(e.aliases) for e in entries if e.source == OFAC_SDN)} SDN aliases), "
          f"built in {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    times: list[float] = []
    found_by: dict[str, list[bool]] = {}
    for query, entry, how in variants(entries, args.variants, rng):
        hits, took = _timed(index, query)
        times.append(took)
        found_by.setdefault(how, []).append((entry.source, entry.entry_id) in hits)
    every = [f for fs in found_by.values() for f in fs]
    print(f"Variants: recall {sum(every) / len(every):.3f} ({sum(every)} of {len(every)})")
    for how, fs in sorted(found_by.items()):
        print(f"  {how:<36} {sum(fs) / len(fs):.3f} ({len(fs)})")
    names = clean_names(entries, args.clean)
    flagged = []
    for name in names:
        hits, took = _timed(index, MatchQuery(name))
        times.append(took)
        if hits:
            flagged.append((name, hits[0]))
    print(f"Clean names: {len(flagged)} of {len(names)} flagged at review or above")
    for name, hit in flagged[:20]:
        print(f"  {name!r} -> {hit[1]}")
    sdn = [e for e in entries if e.source == OFAC_SDN and e.match_by_name]
    missed = [e for e in sdn if (e.source, e.entry_id) not in _timed(index, MatchQuery(e.name))[0]]
    print(f"Exact listed names missed: {len(missed)} of {len(sdn)}" + "".join(f"\n  {e.name!r}" for e in missed[:10]))
    ms = [t * 1000 for t in times]
    print(f"CPU per query: mean {statistics.mean(ms):.2f} ms, p50 {statistics.median(ms):.2f} ms, "
          f"p99 {statistics.quantiles(ms, n=100)[98]:.2f} ms ({len(ms)} variant and clean queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
