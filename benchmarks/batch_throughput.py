"""Batch throughput on PostgreSQL: a real `flrisk serve` plus N `flrisk worker` processes on 127.0.0.1.

`python -m benchmarks.batch_throughput [--rows 100000] [--workers 2]` uploads a generated mixed-script
supplier CSV (seeded; generated names, not real companies; ~5% true variants of listed names), waits for
`done`, then downloads the results as CSV and XLSX, and prints wall time, rows/s, peak RSS of the server
and of each worker, and the download times. It creates and drops its own database on the local test server.

`--small-behind N` measures fairness instead: once the large batch is running, a second upload of N rows
follows, and the script prints how long the small batch waited (upload to `done`), the queue position it
was shown, and when the large one finished. `--database sqlite` runs either mode on SQLite (the in-process
runner of `flrisk serve`, no workers) in a temporary directory.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

from benchmarks.local_server import free_port, stop, wait_ready
from benchmarks.match_quality import load_shipped_entries
from benchmarks.names import company_name, foreign_name, true_variant

FLRISK = str(Path(sys.executable).parent / "flrisk")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def supplier_csv(rows: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    listed = [e for e in load_shipped_entries() if e.match_by_name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Vendor ID", "Vendor Name", "供应商名称", "Country", "HS Code"])
    for i in range(rows):
        roll = rng.random()
        han = ""
        if roll < 0.05:
            name, country = true_variant(rng.choice(listed), rng).name, "CN"
        elif roll < 0.75:
            name, han = company_name(rng)
            country = "CN"
        else:
            name, country = foreign_name(rng), rng.choice(["VN", "DE", "US", "BD", "IN"])
        hs = rng.choice(["6109.10", "8541.43", "5205.11", "8479.89", "9403.60", "7601.10", ""])
        writer.writerow([f"V{i:06d}", name, han if rng.random() < 0.4 else "", country, hs])
    return out.getvalue().encode("utf-8")


def _rss_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of a live process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A throw-away database URL: a new PostgreSQL database on the local server, or an SQLite file."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"flrisk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait(client: httpx.Client, batch_id: str, poll: float = 0.1) -> dict[str, Any]:
    while (status := client.get(f"/v1/batches/{batch_id}").json())["status"] not in ("done", "failed"):
        time.sleep(poll)
    return status


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(client: httpx.Client, rows: int, label: str, procs: list[subprocess.Popen[bytes]]) -> None:
    data = supplier_csv(rows)
    cpu_before = [_cpu_s(p.pid) for p in procs]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    batch = client.post("/v1/batches", files={"file": ("vendors.csv", data)}).json()
    accepted = time.perf_counter() - started
    status = _wait(client, batch["id"], 0.25)
    wall = time.perf_counter() - started
    cpu = [_cpu_s(p.pid) - before for p, before in zip(procs, cpu_before, strict=True)]
    timings = {}
    for fmt in ("csv", "xlsx"):
        t = time.perf_counter()
        size = len(client.get(f"/v1/batches/{batch['id']}/results", params={"format": fmt}).content)
        timings[fmt] = (time.perf_counter() - t, size)
    print(f"{rows} generated supplier rows ({len(data) / 1e6:.1f} MB CSV), {label}")
    print(f"  upload accepted (validated + stored + queued) {accepted:6.2f} s")
    print(f"  status {status['status']}: wall time to done  {wall:6.2f} s   target <= 60 s")
    print(f"  throughput                            {rows / wall:6.0f} rows/s   (load {load:.2f} at start)")
    print(f"  CPU until done: server {cpu[0]:.1f} s, workers " + ", ".join(f"{c:.1f} s" for c in cpu[1:])
          + f"; {rows / max(1e-9, sum(cpu)):.0f} rows per CPU second, so {sum(cpu) / max(1, len(cpu) - 1):.1f} s "
          f"on {max(1, len(cpu) - 1)} otherwise idle cores")
    print(f"  counts                                {status['counts']}")
    if status["status"] == "failed":
        print(f"  error                                 {status.get('error')}")
    print(f"  peak RSS server {_rss_mb(procs[0].pid):.0f} MB; workers "
          + ", ".join(f"{_rss_mb(p.pid):.0f} MB" for p in procs[1:]))
    for fmt, (seconds, size) in timings.items():
        target = 10 if fmt == "csv" else 30
        print(f"  download {fmt:<4} {seconds:6.2f} s ({size / 1e6:.1f} MB)   target <= {target} s")


def small_behind(client: httpx.Client, rows: int, small: int, label: str) -> None:
    """Upload `rows`, wait until it runs, upload `small` rows; time the small batch from upload to done."""
    started = time.perf_counter()
    big = client.post("/v1/batches", files={"file": ("large.csv", supplier_csv(rows))}).json()
    while client.get(f"/v1/batches/{big['id']}").json()["rows_done"] == 0:
        time.sleep(0.1)
    behind = time.perf_counter()
    created = client.post("/v1/batches", files={"file": ("small.csv", supplier_csv(small, seed=9))}).json()
    shown = created.get("queue_position")
    done = _wait(client, created["id"], 0.05)
    waited = time.perf_counter() - behind
    large = client.get(f"/v1/batches/{big['id']}").json()
    print(f"{small} rows uploaded behind {rows:,} rows ({label})")
    print(f"  small batch: {done['status']} {waited:6.2f} s after its upload; queue position shown at upload: "
          f"{shown}; large batch at {large['rows_done']:,} rows then")
    large = _wait(client, big["id"], 0.5)
    print(f"  large batch: {large['status']} {time.perf_counter() - started:6.2f} s after its upload")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="`flrisk worker` processes (PostgreSQL only)")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--small-behind", type=int, default=0, metavar="N",
                        help="time an N-row batch uploaded while the large one runs")
    args = parser.parse_args(argv)
    workers = args.workers if args.database == "postgresql" else 0
    label = f"{workers} workers, PostgreSQL" if workers else "SQLite, in-process runner"
    with database(args.database) as url:
        env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_SECRET_KEY": "bench", "FLRISK_LOG_LEVEL": "WARNING"}
        port = free_port()
        procs: list[subprocess.Popen[bytes]] = []
        try:
            key = subprocess.run([FLRISK, "keys", "create", "--name", "bench", "--scopes", "screen,read"], env=env,
                                 capture_output=True, text=True, check=True).stdout.strip()
            procs.append(subprocess.Popen([FLRISK, "serve", "--port", str(port)], env=env,
                                          stderr=subprocess.DEVNULL, start_new_session=True))
            procs += [subprocess.Popen([FLRISK, "worker"], env=env, stderr=subprocess.DEVNULL,
                                       start_new_session=True) for _ in range(workers)]
            base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}
            wait_ready(base, procs[0])
            with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
                if args.small_behind:
                    small_behind(client, args.rows, args.small_behind, label)
                else:
                    throughput(client, args.rows, label, procs)
        finally:
            for p in procs:
                stop(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
