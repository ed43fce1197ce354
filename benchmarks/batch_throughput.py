"""Batch throughput on PostgreSQL: a real `flrisk serve` plus N `flrisk worker` processes on 127.0.0.1.

`python -m benchmarks.batch_throughput [--rows 100000] [--workers 2] [--database-url URL]` uploads a
generated mixed-script supplier CSV (seeded; generated names, not real companies; ~5% true variants of
listed names), waits for `done`, then downloads the results as CSV and XLSX, and prints wall time,
rows/s, peak RSS of the server and of each worker, and the download times. It creates and drops its own
database on the server given (default: the local test server).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

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


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    name = f"flrisk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_SECRET_KEY": "bench", "FLRISK_LOG_LEVEL": "WARNING"}
    port = free_port()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        key = subprocess.run([FLRISK, "keys", "create", "--name", "bench", "--scopes", "screen,read"], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
        procs.append(subprocess.Popen([FLRISK, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL,
                                      start_new_session=True))
        procs += [subprocess.Popen([FLRISK, "worker"], env=env, stderr=subprocess.DEVNULL, start_new_session=True)
                  for _ in range(args.workers)]
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}
        wait_ready(base, procs[0])
        with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
            data = supplier_csv(args.rows)
            cpu_before = [_cpu_s(p.pid) for p in procs]
            load = os.getloadavg()[0]
            started = time.perf_counter()
            batch = client.post("/v1/batches", files={"file": ("vendors.csv", data)}).json()
            accepted = time.perf_counter() - started
            while (status := client.get(f"/v1/batches/{batch['id']}").json())["status"] not in ("done", "failed"):
                time.sleep(0.25)
            wall = time.perf_counter() - started
            cpu = [_cpu_s(p.pid) - before for p, before in zip(procs, cpu_before, strict=True)]
            timings = {}
            for fmt in ("csv", "xlsx"):
                t = time.perf_counter()
                size = len(client.get(f"/v1/batches/{batch['id']}/results", params={"format": fmt}).content)
                timings[fmt] = (time.perf_counter() - t, size)
        print(f"{args.rows} generated supplier rows ({len(data) / 1e6:.1f} MB CSV), {args.workers} workers, PostgreSQL")
        print(f"  upload accepted (validated + stored + queued) {accepted:6.2f} s")
        print(f"  status {status['status']}: wall time to done  {wall:6.2f} s   target <= 60 s")
        print(f"  throughput                            {args.rows / wall:6.0f} rows/s   (load {load:.2f} at start)")
        print(f"  CPU until done: server {cpu[0]:.1f} s, workers " + ", ".join(f"{c:.1f} s" for c in cpu[1:])
              + f"; {args.rows / max(1e-9, sum(cpu)):.0f} rows per CPU second, so {sum(cpu) / args.workers:.1f} s "
              f"on {args.workers} otherwise idle cores")
        print(f"  counts                                {status['counts']}")
        if status["status"] == "failed":
            print(f"  error                                 {status.get('error')}")
        print(f"  peak RSS server {_rss_mb(procs[0].pid):.0f} MB; workers "
              + ", ".join(f"{_rss_mb(p.pid):.0f} MB" for p in procs[1:]))
        for fmt, (seconds, size) in timings.items():
            target = 10 if fmt == "csv" else 30
            print(f"  download {fmt:<4} {seconds:6.2f} s ({size / 1e6:.1f} MB)   target <= {target} s")
    finally:
        for p in procs:
            stop(p)
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
