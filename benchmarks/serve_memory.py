"""Start-up time and memory of `flrisk serve` when ready (on demand, not in CI).

    python -m benchmarks.serve_memory [--sdn-dir DIR] [--workers 1] [--runs 3]

Makes a SQLite database in a temp dir, loads the shipped lists and, with `--sdn-dir`, the full OFAC SDN
legacy CSV trio from DIR (sdn.csv, alt.csv, add.csv; see benchmarks/sdn_scale.py for the file used) in place
of the shipped SDN entries, then starts `flrisk serve --workers N` on 127.0.0.1 `--runs` times and prints,
per run: seconds from the process start to the first 200 from `/ready` (the first run also warms the page
cache), and for each server process its resident set (VmRSS), proportional set (Pss: pages shared between
processes counted once in all) and private memory (Private_Clean + Private_Dirty) when ready.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from benchmarks.local_server import HOST, free_port, stop, wait_ready

FLRISK = str(Path(sys.executable).with_name("flrisk"))


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    out = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            out.extend(_tree(int(child)))
    return out


def _memory_mb(pid: int) -> dict[str, float]:
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            fields["rss"] = int(line.split()[1]) / 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in {"Pss", "Private_Clean", "Private_Dirty"}:
            fields[name] = fields.get(name, 0.0) + int(rest.split()[0]) / 1024
    return {"rss": fields["rss"], "pss": fields["Pss"], "private": fields["Private_Clean"] + fields["Private_Dirty"]}


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]


def prepare(env: dict[str, str], sdn_dir: Path | None) -> None:
    if sdn_dir is None:
        return
    files = [arg for f in ("sdn.csv", "alt.csv", "add.csv") for arg in ("--from", str(sdn_dir / f))]
    subprocess.run([FLRISK, "lists", "update", "--source", "ofac_sdn", *files, "--allow-shrink"], env=env,
                   check=True, capture_output=True)


def run_once(env: dict[str, str], workers: int) -> None:
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen([FLRISK, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://{HOST}:{port}"
        wait_ready(base, server, path="/ready")
        ready_s = time.perf_counter() - start
        if workers > 1:  # every worker answers /ready before memory is read
            deadline = time.monotonic() + 120
            while len(_tree(server.pid)) < workers + 1 and time.monotonic() < deadline:
                time.sleep(0.2)
            for _ in range(4 * workers):
                httpx.get(f"{base}/ready", timeout=10)
        time.sleep(1.0)
        body = httpx.get(f"{base}/ready", timeout=10).json()
        lists = body["lists"]
        print(f"ready in {ready_s:5.2f} s  matcher {body.get('matcher', '?')}  entries {sum(lists.values())} "
              f"({', '.join(f'{k} {v}' for k, v in sorted(lists.items()))})  load {os.getloadavg()[0]:.2f}")
        total = {"rss": 0.0, "pss": 0.0, "private": 0.0}
        for pid in _tree(server.pid):
            mem = _memory_mb(pid)
            for k in total:
                total[k] += mem[k]
            print(f"  pid {pid:7d}  RSS {mem['rss']:6.1f} MB  PSS {mem['pss']:6.1f} MB  "
                  f"private {mem['private']:6.1f} MB  {_cmdline(pid)}")
        print(f"  all      RSS {total['rss']:6.1f} MB  PSS {total['pss']:6.1f} MB  private {total['private']:6.1f} MB")
    finally:
        stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sdn-dir", type=Path, help="directory with the OFAC SDN trio (sdn.csv, alt.csv, add.csv)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="flrisk-mem-") as tmp:
        env = {**os.environ, "FLRISK_DATABASE_URL": f"sqlite:///{tmp}/flrisk.db",
               "FLRISK_SECRET_KEY": uuid.uuid4().hex, "FLRISK_LOG_LEVEL": "WARNING"}
        subprocess.run([FLRISK, "db", "upgrade"], env=env, check=False, capture_output=True)
        prepare(env, args.sdn_dir)
        lists = f"full SDN from {args.sdn_dir}" if args.sdn_dir else "shipped lists"
        print(f"flrisk serve --workers {args.workers}, SQLite, {lists}")
        for _ in range(args.runs):
            run_once(env, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
