"""Schemathesis against the committed `openapi/openapi.json`, on a real `flrisk serve` process.

    .venv/bin/python -m tests.hardening.run_schemathesis                 # SQLite in a temp dir (CI)
    .venv/bin/python -m tests.hardening.run_schemathesis --database-url postgresql://postgres@127.0.0.1:5432/x
    .venv/bin/python -m tests.hardening.run_schemathesis --max-examples 100 --seed random -- --workers 2

Creates a key with every scope (`flrisk keys create`), starts `flrisk serve` on a free port of
127.0.0.1, waits for `/ready`, runs schemathesis' CLI over every operation of the committed schema
and exits with its exit code (0: no server error, no schema violation). The server log is kept in
the report directory. Called by `.ci/run` after the test suite; not collected by pytest.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.local_server import free_port, stop, wait_ready

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "openapi" / "openapi.json"
BIN = Path(sys.executable).parent
SECRET = "schemathesis-secret-not-for-production"

# Every check that can hold for this API. Left out, and why:
# - positive_data_acceptance: schemathesis generates bodies that are valid against the JSON schema but
#   that the service rightly refuses with 404/409/422: unknown ids in paths (`/v1/batches/{batch_id}`
#   with a random id is 404 by design), a `from_batch` naming no batch, an `Idempotency-Key` reused with
#   another body, a mapping JSON whose columns are not in the uploaded file, a CSV with no name column.
#   Those are business rules a JSON schema cannot express, so this check would only report them.
# - use_after_free / ensure_resource_availability / object_level_authorization / ignored_auth: run in
#   the stateful phase; see STATEFUL_NOTE below.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
)


def create_key(env: dict[str, str]) -> str:
    out = subprocess.run([str(BIN / "flrisk"), "keys", "create", "--name", "schemathesis",
                          "--scopes", "screen,read,decide,admin", "--json"],
                         env=env, check=True, capture_output=True, text=True, timeout=300)
    return str(json.loads(out.stdout)["key"])


SEED_SUPPLIER = {"reference": "SEED-1", "name": "Kashgar Seedtest Cotton Trading Co Ltd", "country": "CN"}


def seed_alerts(base: str, key: str, env: dict[str, str], tmp: Path) -> None:
    """Give the alert operations something to find: a monitored supplier that a new version of the UFLPA
    list then names, so the server's re-screening round raises alerts (as in production)."""
    headers = {"X-API-Key": key}
    httpx.post(f"{base}/v1/suppliers", json=SEED_SUPPLIER, headers=headers, timeout=30).raise_for_status()
    listed = tmp / "uflpa_entity_list.csv"
    original = (ROOT / "fixtures" / "lists" / "uflpa_entity_list.csv").read_text("utf-8")
    header = next(csv.reader([original.split("\n", 1)[0]]))
    seed = {"list_id": "uflpa-900", "name": SEED_SUPPLIER["name"], "country": "CN", "city_or_address": "Kashgar",
            "date_added": "2026-01-01", "legal_basis_or_section": "UFLPA Section 2(d)(2)(B)(i)",
            "source_citation": "schemathesis seed"}
    row = io.StringIO()
    csv.DictWriter(row, fieldnames=header, lineterminator="\n").writerow(seed)
    listed.write_text(original.rstrip("\n") + "\n" + row.getvalue(), "utf-8")
    subprocess.run([str(BIN / "flrisk"), "lists", "update", "--source", "uflpa_entity_list", "--from", str(listed),
                    "--note", "schemathesis seed"], env=env, check=True, capture_output=True, timeout=300)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if httpx.get(f"{base}/v1/alerts", headers=headers, timeout=10).json()["count"]:
            return
        time.sleep(0.5)
    print("warning: no alert raised within 60 s; the alert operations will only see 404s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FLRISK_SCHEMATHESIS_EXAMPLES", 100)))
    parser.add_argument("--seed", default=os.environ.get("FLRISK_SCHEMATHESIS_SEED", "7"),
                        help="hypothesis seed; 'random' for a new one each run (default: fixed, reproducible)")
    parser.add_argument("--report-dir", type=Path, default=ROOT / "tests" / "artifacts" / "schemathesis")
    parser.add_argument("extra", nargs="*", help="further schemathesis options, after `--`")
    args = parser.parse_args(argv)

    args.report_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flrisk-schemathesis-") as tmp:
        env = {**os.environ, "FLRISK_DATABASE_URL": args.database_url or f"sqlite:///{tmp}/flrisk.db",
               "FLRISK_SECRET_KEY": SECRET, "FLRISK_LOG_LEVEL": "WARNING", "FLRISK_LIST_POLL_SECONDS": "1"}
        key = create_key(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = args.report_dir / "server.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen([str(BIN / "flrisk"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            # On PostgreSQL batch chunks and re-screening rounds run in `flrisk worker` processes: start one.
            worker = None
            if env["FLRISK_DATABASE_URL"].startswith(("postgresql", "postgres:")):
                worker = subprocess.Popen([str(BIN / "flrisk"), "worker"], env=env, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_ready(base, server)
                seed_alerts(base, key, env, Path(tmp))
                cmd = [str(BIN / "schemathesis"), "run", str(SCHEMA), "--url", base,
                       "--header", f"X-API-Key: {key}",
                       "--checks", ",".join(CHECKS),
                       "--max-examples", str(args.max_examples),
                       "--request-timeout", "30",
                       "--generation-database", "none",  # every run starts from the seed alone
                       # The key is sent above. Operations accept `X-API-Key` OR `Authorization: Bearer`; with
                       # security parameters generated, schemathesis counts a request with a valid X-API-Key and
                       # a malformed Authorization header as invalid data wrongly accepted (it is valid: one
                       # alternative suffices). Missing, unknown and under-scoped keys: tests/api/test_auth.py.
                       "--generation-with-security-parameters", "false",
                       "--no-color",
                       "--report", "junit", "--report-dir", str(args.report_dir),
                       *([] if args.seed == "random" else ["--seed", args.seed]),
                       *args.extra]
                print("+", " ".join(c if key not in c else c.replace(key, "flr_***") for c in cmd), flush=True)
                started = time.monotonic()
                # cwd: schemathesis keeps a `.schemathesis/` cache in its working directory; not in the repo
                code = subprocess.call(cmd, cwd=args.report_dir)
                print(f"schemathesis exit {code} after {time.monotonic() - started:.0f} s; "
                      f"server log: {log_path}", flush=True)
                if httpx.get(f"{base}/v1/keys", headers={"X-API-Key": key}, timeout=10).status_code != 200:
                    # DELETE /v1/keys/{id} may have been fed the run's own key id (from GET /v1/keys): the
                    # operations after it then only saw 401s. Not a failure, but less coverage.
                    print("warning: the run revoked its own key along the way", flush=True)
            finally:
                for proc in (server, worker):
                    if proc is not None:
                        stop(proc)
    return code


if __name__ == "__main__":
    sys.exit(main())
