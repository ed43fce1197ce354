"""Wall time of `flrisk lists sync` of every built-in source from a local stand-in for the publishers.

    python -m benchmarks.list_sync [--postgres URL]

Serves, on 127.0.0.1 with ETags (benchmarks/upstream_server.py), the files the built-in sources fetch, in the
publishers' layouts: the DHS UFLPA Entity List page rendered from the shipped rows with the Federal Register
search result sample, the CBP WRO/Findings CSV rendered from the shipped rows, the OFAC SDN trio sample and the
trade.gov CSL CSV sample (its Entity List rows for bis_entity_list). Then, on a fresh SQLite database (and on
PostgreSQL with --postgres), migrates and loads the snapshot, and times a full sync (all four sources changed),
then a second one (all 304 Not Modified), printing the entry count per source. The sample files are small cuts:
the real OFAC and CSL downloads are about 100 times larger.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from benchmarks.upstream_server import Upstream, upstream_server
from service.bootstrap import prepare_database
from service.jobs.sync import run_sync
from service.lists.sources import SourceConfig
from service.settings import Settings
from service.store import lists_repo
from service.store.db import make_engine, read_session
from tests.lists.official_layout import render_cbp_csv, render_dhs_page, sections_of, snapshot_rows

FORMATS = Path(__file__).resolve().parents[1] / "tests" / "data" / "formats"


def publish(upstream: Upstream) -> list[SourceConfig]:
    rows = [r for r in snapshot_rows("uflpa_entity_list.csv") if sections_of(r)]
    (upstream.root / "uflpa.html").write_text(render_dhs_page(rows), "utf-8")
    (upstream.root / "wro.csv").write_bytes(render_cbp_csv(snapshot_rows("cbp_wro_findings.csv")))
    for name in ("federal_register_documents.json", "ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv",
                 "csl_consolidated.csv"):
        shutil.copy(FORMATS / name, upstream.root / name)
    url = upstream.url
    return [SourceConfig("uflpa_entity_list", (url("uflpa.html"), url("federal_register_documents.json"))),
            SourceConfig("cbp_wro", (url("wro.csv"),)),
            SourceConfig("ofac_sdn", (url("ofac_sdn.csv"), url("ofac_alt.csv"), url("ofac_add.csv"))),
            SourceConfig("bis_entity_list", (url("csl_consolidated.csv"),), lists=("EL",))]


def measure(engine: Engine, sources: list[SourceConfig], label: str) -> None:
    prepare_database(engine, Settings(database_url=engine.url.render_as_string(hide_password=False)))
    for run in ("first sync (all changed)", "second sync (all 304)"):
        start = time.perf_counter()
        results = run_sync(engine, sources, max_shrink_ratio=0.2)
        took = time.perf_counter() - start
        print(f"{label}, {run}: {took:.2f} s; " + ", ".join(f"{r.source} {r.status}" for r in results))
    with read_session(engine) as session:
        counts = {v.source: v.entry_count for v in lists_repo.active_versions(session)}
    print(f"{label}, entries: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL to measure on as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, upstream_server(Path(tmp) / "www") as upstream:
        sources = publish(upstream)
        engine = make_engine(f"sqlite:///{tmp}/sync.db")
        measure(engine, sources, "SQLite")
        engine.dispose()
        if args.postgres:
            engine = make_engine(args.postgres)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            measure(engine, sources, "PostgreSQL")
            engine.dispose()


if __name__ == "__main__":
    main()
