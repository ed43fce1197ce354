"""`wrk` against a real `flrisk serve` on 127.0.0.1: POST /v1/screenings and POST /v1/match (on demand, not in CI).

    python -m benchmarks.http_wrk [--database sqlite|postgres] [--workers 1] [--connections 16] [--duration 20]

Starts `flrisk serve --workers N` on a fresh SQLite file (the embedded default) or a scratch PostgreSQL database
(dropped afterwards), creates a `screen` key, warms every worker up, then runs Debian's `wrk` (closed loop,
`--connections` keep-alive connections, 2 threads, `--latency`) on each endpoint. Each request body is the next
of 20,000 generated records (benchmarks/load_screenings.records for screenings; their party names for match),
so the matcher's memory of recent answers is not what is measured. Prints wrk's requests/s, latency
percentiles and non-2xx/socket errors, the load average before each run and, for screenings, the rows stored
(every 201 must be a stored result). Needs `wrk` (`apt-get install wrk`). Only 127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from benchmarks.load_screenings import ADMIN_URL, records
from benchmarks.local_server import HOST, free_port, stop, wait_ready

FLRISK = str(Path(sys.executable).parent / "flrisk")
LUA = """
local bodies = {}
local f = io.open("%(bodies)s", "r")
for line in f:lines() do bodies[#bodies + 1] = line end
f:close()
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  counter = thread_id * 100003
end
request = function()
  counter = counter + 1
  local body = bodies[(counter %% #bodies) + 1]
  return wrk.format("POST", "%(path)s", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer %(key)s"}, body)
end
"""


def _bodies(tmp: Path, n: int) -> tuple[Path, Path]:
    screenings, match = tmp / "screenings.jsonl", tmp / "match.jsonl"
    recs = records(n, seed=11)
    screenings.write_bytes(b"\n".join(recs) + b"\n")
    names = [json.dumps({"name": p["name"], "country": p.get("country")}, ensure_ascii=False)
             for r in recs for p in json.loads(r)["parties"]]
    match.write_text("\n".join(names[:n]) + "\n", encoding="utf-8")
    return screenings, match


def _wrk(base: str, path: str, bodies: Path, key: str, tmp: Path, connections: int, duration: int) -> str:
    script = tmp / f"{path.strip('/').replace('/', '_')}.lua"
    script.write_text(LUA % {"bodies": bodies, "path": path, "key": key})
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency",
                          "--timeout", "10s", "-s", str(script), base], capture_output=True, text=True, check=True)
    return out.stdout


def _summary(text: str) -> str:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", text)
    return (f"{float(rate.group(1)) if rate else 0:8.1f} req/s  p50 {pct.get('50')}  p90 {pct.get('90')}  "
            f"p99 {pct.get('99')}  {'; '.join(errors) or 'no errors'}")


def _stored(url: str, tmp: Path) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(str(tmp / "flrisk.db")) as conn:
            return int(conn.execute("SELECT count(*) FROM screening").fetchone()[0])
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM screening").fetchone()
        return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--endpoints", default="screenings,match")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="flrisk-wrk-") as name:
        tmp = Path(name)
        pg_name = None
        if args.database == "postgres":
            import psycopg

            pg_name = f"flrisk_wrk_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{pg_name}"')
            url = ADMIN_URL.rsplit("/", 1)[0] + f"/{pg_name}"
        else:
            url = f"sqlite:///{tmp / 'flrisk.db'}"
        env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_SECRET_KEY": uuid.uuid4().hex,
               "FLRISK_LOG_LEVEL": "WARNING"}
        server = None
        try:
            subprocess.run([FLRISK, "db", "upgrade"], env=env, check=False, capture_output=True)
            key = subprocess.run([FLRISK, "keys", "create", "--name", "wrk", "--scopes", "screen"], env=env,
                                 capture_output=True, text=True, check=True).stdout.strip()
            screenings, match = _bodies(tmp, args.bodies)
            port = free_port()
            server = subprocess.Popen([FLRISK, "serve", "--host", HOST, "--port", str(port), "--workers",
                                       str(args.workers)], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True)
            base = f"http://{HOST}:{port}"
            wait_ready(base, server)
            ready = subprocess.run(["curl", "-s", f"{base}/ready"], capture_output=True, text=True).stdout
            print(f"flrisk serve --workers {args.workers} on {args.database}; wrk -t2 -c{args.connections} "
                  f"-d{args.duration}s; {os.cpu_count()} CPUs; matcher {json.loads(ready).get('matcher')}")
            _wrk(base, "/v1/match", match, key, tmp, args.connections, 5)  # warm-up, not reported
            for endpoint in args.endpoints.split(","):
                path, bodies = ("/v1/screenings", screenings) if endpoint == "screenings" else ("/v1/match", match)
                before = _stored(url, tmp) if endpoint == "screenings" else 0
                load = os.getloadavg()[0]
                text = _wrk(base, path, bodies, key, tmp, args.connections, args.duration)
                line = f"  POST {path:15s} load {load:4.2f}  {_summary(text)}"
                if endpoint == "screenings":
                    done = re.search(r"(\d+) requests in", text)
                    line += f"  stored {_stored(url, tmp) - before} of {done.group(1) if done else '?'}"
                print(line, flush=True)
        finally:
            if server is not None:
                stop(server)
            if pg_name is not None:
                import psycopg

                with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
