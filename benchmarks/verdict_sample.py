"""Verdict and risk-score distribution over 1,000 generated mixed records (seeded, not real companies).

`python -m benchmarks.verdict_sample [--records N] [--seed S]` builds records the way ERP exports look:
1-3 parties (Chinese companies from coastal and inland provinces, a few in Xinjiang, foreign firms,
~5% true variants of listed names), 1-3 goods lines over a mix of priority-sector and other HS codes,
some third-country lines with Chinese inputs; screens them in-process and prints the distribution.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter

from benchmarks.match_quality import load_shipped_entries
from benchmarks.names import company_name, foreign_name, true_variant
from service.refdata.loaders import load_checklist, load_gazetteer, load_hs, load_sectors
from service.screening.matcher import MatchIndex, Thresholds
from service.screening.record import GoodsLine, Input, Party, Record
from service.screening.region_orders import is_xpcc_order
from service.screening.verdict import ScreeningContext, screen

SECTOR_HS = ["5201.00", "5205.11", "6109.10", "6203.42", "8541.43", "2804.61", "7601.10", "3904.10", "2002.90",
             "0813.40", "7208.51", "7403.11", "2836.91", "2815.11", "0306.17"]
OTHER_HS = ["8479.89", "8422.30", "9403.60", "8708.29", "3926.90", "9505.10", "8502.31", "6702.10", "2917.11",
            "8471.30", "9401.61", "4819.10", "8516.60", "9018.90", "3304.99"]
CN_ADDRESSES = ["Yinzhou District, Ningbo, Zhejiang", "Nansha District, Guangzhou, Guangdong",
                "Wujiang, Suzhou, Jiangsu", "Jimo, Qingdao, Shandong", "Jinjiang, Quanzhou, Fujian",
                "Shaoxing, Zhejiang", "Wuhan, Hubei"]
XJ_ADDRESSES = ["Shihezi, Xinjiang", "Aksu City, Aksu Prefecture, Xinjiang", "Korla, Bayingolin",
                "Hotan City, Xinjiang", "乌鲁木齐市新市区", "Changji, Xinjiang"]
FOREIGN = [("VN", "Binh Duong Province"), ("BD", "Gazipur, Dhaka"), ("DE", "Stuttgart"), ("US", "Charlotte, NC"),
           ("MY", "Penang"), ("TR", "Denizli"), ("IN", "Tiruppur, Tamil Nadu"), ("MX", "Monterrey")]
INPUTS = [("cotton yarn", "CN"), ("polysilicon", "CN"), ("aluminium ingot", "CN"), ("PVC resin", None),
          ("cotton fabric", "IN")]


def _party(rng: random.Random, entries: list, i: int) -> Party:
    roll = rng.random()
    role = rng.choice(["supplier", "manufacturer", "exporter", "seller"])
    if roll < 0.05:
        q = true_variant(rng.choice([e for e in entries if e.match_by_name]), rng)
        return Party(role=role, name=q.name, pointer=f"/parties/{i}", country="CN")
    if roll < 0.09:
        latin, _ = company_name(rng)
        return Party(role=role, name=latin, pointer=f"/parties/{i}", country="CN", address=rng.choice(XJ_ADDRESSES))
    if roll < 0.65:
        latin, han = company_name(rng)
        return Party(role=role, name=latin, chinese_name=han if rng.random() < 0.3 else None, pointer=f"/parties/{i}",
                     country="CN", address=rng.choice(CN_ADDRESSES))
    country, city = rng.choice(FOREIGN)
    return Party(role=role, name=foreign_name(rng), pointer=f"/parties/{i}", country=country, address=city)


def _goods(rng: random.Random, origin: str | None, j: int) -> GoodsLine:
    hs = rng.choice(SECTOR_HS if rng.random() < 0.45 else OTHER_HS)
    inputs: tuple[Input, ...] = ()
    if origin != "CN" and rng.random() < 0.3:
        material, country = rng.choice(INPUTS)
        inputs = (Input(material=material, pointer=f"/goods/{j}/inputs/0", origin_country=country),)
    return GoodsLine(pointer=f"/goods/{j}", hs_code=hs, origin_country=origin, inputs=inputs)


def generate(n: int, seed: int, entries: list) -> list[Record]:
    rng = random.Random(seed)
    records = []
    for k in range(n):
        parties = tuple(_party(rng, entries, i) for i in range(rng.choice((1, 1, 2, 3))))
        origin = parties[0].country
        lines = tuple(_goods(rng, origin, j) for j in range(rng.choice((1, 1, 2, 3))))
        records.append(Record(reference=f"GEN-{k}", kind="shipment", parties=parties, goods=lines))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    entries = load_shipped_entries()
    ctx = ScreeningContext(index=MatchIndex.build(entries), gazetteer=load_gazetteer(), hs=load_hs(),
                           sectors=load_sectors(), checklist=load_checklist(), thresholds=Thresholds(),
                           region_orders=tuple(e for e in entries if not e.match_by_name),
                           xpcc_orders=tuple(e for e in entries if e.match_by_name and is_xpcc_order(e)))
    records = generate(args.records, args.seed, entries)
    started = time.perf_counter()
    outcomes = [screen(r, ctx) for r in records]
    elapsed = time.perf_counter() - started
    print(f"{len(records)} generated records (seed {args.seed}), screened in {elapsed:.2f}s "
          f"({len(records) / elapsed:.0f} records/s, one core, in-process)")
    print(f"{'verdict':<12}{'count':>7}{'share':>8}{'score min':>11}{'median':>8}{'max':>6}")
    for verdict in ("presumption", "review", "elevated", "clear"):
        scores = [o.risk_score for o in outcomes if o.verdict == verdict]
        if scores:
            print(f"{verdict:<12}{len(scores):>7}{len(scores) / len(records):>8.1%}{min(scores):>11}"
                  f"{statistics.median(scores):>8.0f}{max(scores):>6}")
    evidence = Counter((e.type, e.effect) for o in outcomes for e in o.evidence if e.effect != "informational")
    print("deciding evidence items:", ", ".join(f"{t}/{eff}: {c}" for (t, eff), c in evidence.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
