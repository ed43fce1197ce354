"""`flrisk check` on a generated supplier CSV, locally, pinned to one core (on demand, not in CI).

    python -m benchmarks.check_speed [--rows 20000] [--runs 2]

Writes a generated mixed-script supplier CSV (benchmarks/batch_throughput.supplier_csv: seeded, not real
companies, ~5% true variants of listed names) and a one-row CSV, then runs `flrisk check FILE --format json`
(embedded engine, shipped lists) under `taskset -c 0` on each, the report going to /dev/null. Prints, per run,
wall-clock and CPU seconds (user + system of the child), start-up = the one-row run (imports, the shipped
lists indexed, one row screened) and rows/s after start-up = (rows - 1) / (CPU of the big run - CPU of the
one-row run). The mode of the screening core and the load average are printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.batch_throughput import supplier_csv
from service.native import build_mode

FLRISK = str(Path(sys.executable).parent / "flrisk")


def _run(path: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one `flrisk check` of `path`, pinned to core 0 where taskset exists."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*pin, FLRISK, "check", str(path), "--format", "json"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"flrisk check exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="flrisk-check-") as tmp:
        big, one = Path(tmp) / "vendors.csv", Path(tmp) / "one.csv"
        big.write_bytes(supplier_csv(args.rows))
        one.write_bytes(b"\n".join(supplier_csv(1).splitlines()[:2]) + b"\n")
        print(f"flrisk check, embedded engine, one core; screening core {build_mode()}")
        for _ in range(args.runs):
            load = os.getloadavg()[0]
            one_wall, one_cpu = _run(one)
            big_wall, big_cpu = _run(big)
            rate = (args.rows - 1) / max(1e-9, big_cpu - one_cpu)
            print(f"  load {load:4.2f}  start-up (1 row): {one_wall:5.2f} s wall, {one_cpu:5.2f} s CPU   "
                  f"{args.rows} rows: {big_wall:6.2f} s wall, {big_cpu:6.2f} s CPU   "
                  f"after start-up: {rate:6.0f} rows/s (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
