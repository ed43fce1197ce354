"""Peak server memory under the two amplification attacks of issue 17, on a real `flrisk serve` (SQLite).

`python -m benchmarks.attack_rss [--rows 7000] [--columns 16384] [--records 1000] [--parties 100]` starts a
fresh server on 127.0.0.1 per scenario and prints its resident set before, at peak (VmHWM) and after:

- `xlsx`: a sparse wide workbook, one cell in column A and one in the last column (XFD = 16,384 by default)
  on every row, uploaded to `POST /v1/batches`;
- `batch`: a `POST /v1/screenings:batch` of `--records` records with `--parties` parties each, every party
  named after a listed entity (so every party carries a list-match evidence item).

Run it with smaller `--columns`/`--parties` to measure the largest request the limits accept.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import xlsxwriter

from benchmarks.local_server import free_port, stop, wait_ready

FLRISK = str(Path(sys.executable).parent / "flrisk")
LISTED = ("Hoshine Silicon Industry (Shanshan) Co Ltd", "Xinjiang Production and Construction Corps",
          "Xinjiang Daqo New Energy Co Ltd", "Changji Esquel Textile Co Ltd")


def sparse_wide_xlsx(rows: int, columns: int) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "Vendor Name")
    sheet.write_string(0, columns - 1, "Note")
    for row in range(1, rows + 1):
        sheet.write_string(row, 0, f"Supplier {row} Trading Co Ltd")
        sheet.write_string(row, columns - 1, "x")
    book.close()
    return out.getvalue()


def wide_batch(records: int, parties: int) -> bytes:
    body = {"records": [{"reference": f"R{r}", "kind": "supplier",
                         "parties": [{"role": "manufacturer", "name": LISTED[(r + p) % len(LISTED)]}
                                     for p in range(parties)]} for r in range(records)]}
    return json.dumps(body, separators=(",", ":")).encode()


def _status(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def run(scenario: str, send: Callable[[httpx.Client], httpx.Response]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FLRISK_DATABASE_URL": f"sqlite:///{tmp}/flrisk.db", "FLRISK_SECRET_KEY": "bench",
               "FLRISK_LOG_LEVEL": "WARNING"}
        key = subprocess.run([FLRISK, "keys", "create", "--name", "bench", "--scopes", "screen,read"], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
        port = free_port()
        proc = subprocess.Popen([FLRISK, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, proc)
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=600) as client:
                client.post("/v1/match", json={"name": "warm up"})
                before = _status(proc.pid)["VmRSS"]
                started = time.perf_counter()
                response = send(client)
                seconds = time.perf_counter() - started
                if response.status_code == 202:  # a batch: let the in-process job run (or fail) to the end
                    while client.get(response.headers["location"]).json()["status"] in ("queued", "running"):
                        time.sleep(0.5)
                time.sleep(1)
                after = _status(proc.pid)
            detail = response.json().get("detail", "") if response.status_code >= 400 else ""
            print(f"{scenario}: HTTP {response.status_code} in {seconds:.1f} s, response {len(response.content):,} "
                  f"bytes {detail[:90]}")
            print(f"  server RSS before {before:,.0f} MB, peak {after['VmHWM']:,.0f} MB, "
                  f"after {after['VmRSS']:,.0f} MB")
        finally:
            stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=7000, help="data rows of the sparse wide XLSX")
    parser.add_argument("--columns", type=int, default=16_384, help="column of the second cell (16384 = XFD)")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--parties", type=int, default=100)
    parser.add_argument("--only", choices=("xlsx", "batch"))
    args = parser.parse_args(argv)
    if args.only in (None, "xlsx"):
        data = sparse_wide_xlsx(args.rows, args.columns)
        run(f"sparse wide XLSX, {args.rows:,} rows x column {args.columns:,} ({len(data) / 1024:,.0f} KB)",
            lambda c: c.post("/v1/batches", files={"file": ("wide.xlsx", data)}))
    if args.only in (None, "batch"):
        body = wide_batch(args.records, args.parties)
        run(f"screenings:batch, {args.records:,} records x {args.parties} parties ({len(body) / 1e6:.1f} MB)",
            lambda c: c.post("/v1/screenings:batch", content=body, headers={"content-type": "application/json"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
