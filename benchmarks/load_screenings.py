"""Load test of single-record `POST /v1/screenings`: `flrisk serve --workers 2` on PostgreSQL, open-loop load.

    .venv/bin/python -m benchmarks.load_screenings                       # 50 .. 500 req/s, 15 s each
    .venv/bin/python -m benchmarks.load_screenings --rates 300,350 --duration 30

Creates a scratch PostgreSQL database, a `screen` key (`flrisk keys create`) and starts `flrisk serve`
with 2 uvicorn workers on 127.0.0.1 as a subprocess. A second process (this script with `--drive`)
then sends generated, varied shipment and supplier records at each target rate for the given time and
reports the achieved rate, p50/p90/p99/max latency and errors per step, then the highest rate with
p99 <= 50 ms and no errors. Every request goes the whole way: key check, screening, stored result and
audit event in one transaction; the stored rows are counted at the end. Then the server is stopped and
the database dropped.

The load is open-loop, like wrk2: request i is due at start + i/rate whether or not earlier ones have
answered, on as many keep-alive connections as needed (up to --max-connections), and latency is
measured from the time the request was due, so a stalled server shows as latency rather than as a
politely slower client (no coordinated omission). The client is a minimal asyncio HTTP/1.1 client on
uvloop, cheap enough to share the 2 cores with the server. Only 127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.local_server import HOST, free_port, stop, wait_ready

FLRISK = str(Path(sys.executable).parent / "flrisk")
ADMIN_URL = os.environ.get("FLRISK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
P99_TARGET_MS = 50.0
KEEP_ALIVE_SECONDS = 4.0  # reuse an idle connection only this long: uvicorn closes them after 5 s

HS = ["6109.10", "8541.43", "2804.61", "5201.00", "5205.11", "8479.89", "9403.60", "7601.10", "3926.90",
      "0702.00", "2002.90", "6203.42", "8507.60", "8471.30"]
FOREIGN = [("VN", "Ho Chi Minh City"), ("DE", "Hamburg"), ("US", "Los Angeles"), ("BD", "Dhaka"),
           ("IN", "Tiruppur"), ("MY", "Penang"), ("TR", "Izmir")]
XINJIANG = ["Shanshan County, Turpan, Xinjiang", "Aksu City, Xinjiang", "Kashgar, Xinjiang Uygur Autonomous Region",
            "Shihezi, Xinjiang", "Hotan Prefecture"]
ROLES = ["manufacturer", "exporter", "seller", "shipper"]


# ---------------------------------------------------------------------------------------------------------
# Request bodies


def records(n: int, seed: int = 5) -> list[bytes]:
    """`n` varied screening records as JSON bodies: 1-3 parties and 0-3 goods lines each; about 5% name a
    listed entity (as a real variant), 5% carry a Xinjiang address, the rest are ordinary suppliers.
    Each step uses its own seed and, by default, a fresh record per request: the matcher remembers its
    recent answers, and a load that cycles a small set of records would mostly measure that memory."""
    from benchmarks.match_quality import load_shipped_entries
    from benchmarks.names import company_name, foreign_name, true_variant

    rng = random.Random(seed)
    listed = [e for e in load_shipped_entries() if e.match_by_name]
    bodies = []
    for i in range(n):
        parties = []
        for j in range(rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            party: dict[str, object] = {"role": ROLES[j % len(ROLES)]}
            if roll < 0.05:
                party |= {"name": true_variant(rng.choice(listed), rng).name, "country": "CN"}
            elif roll < 0.70:
                name, han = company_name(rng)
                party |= {"name": name, "country": "CN"}
                if rng.random() < 0.3:
                    party["chinese_name"] = han
                if rng.random() < 0.07:
                    party["address"] = rng.choice(XINJIANG)
            else:
                country, city = rng.choice(FOREIGN)
                party |= {"name": foreign_name(rng), "country": country, "city": city}
            parties.append(party)
        goods = [{"hs_code": rng.choice(HS), "origin_country": rng.choice(("CN", "CN", "VN", "DE")),
                  "description": rng.choice(("cotton T-shirts", "solar modules", "aluminium ingots", "tomato paste",
                                             "machine parts", "polysilicon", "knitted garments")),
                  "value": round(rng.uniform(1_000, 250_000), 2), "currency": "USD"}
                 for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        kind = "shipment" if goods else "supplier"
        body = {"reference": f"LOAD-{i:06d}", "kind": kind, "parties": parties, "goods": goods}
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    return bodies


# ---------------------------------------------------------------------------------------------------------
# The load generator (runs in its own process: `--drive`)


@dataclass
class Step:
    target_rate: float
    sent: int
    ok: int
    errors: int
    achieved_rate: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    client_cpu_s: float = 0.0  # CPU time the load generator itself used (it shares the machine)


def _request(key: str, body: bytes) -> bytes:
    head = (f"POST /v1/screenings HTTP/1.1\r\nHost: {HOST}\r\nX-API-Key: {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes) -> int:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def _drive(port: int, key: str, bodies: Sequence[bytes], rate: float, duration: float,
                 max_connections: int, timeout: float) -> Step:
    payloads = [_request(key, b) for b in bodies]
    idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []  # (last used, connection)
    slots = asyncio.Semaphore(max_connections)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    total = int(rate * duration)
    # Keep-alive connections opened before the clock starts, as wrk does (and as a client with a connection
    # pool would have): enough for ~30 ms of requests; more are opened on demand.
    for _ in range(min(max_connections, max(4, int(rate * 0.03)))):
        idle.append((time.perf_counter(), *await asyncio.open_connection(HOST, port)))
    start = time.perf_counter() + 0.05  # perf_counter: uvloop's clock has 1 ms steps
    finished = start

    async def one(i: int, due: float) -> None:
        nonlocal finished
        async with slots:
            conn = None
            while idle and conn is None:
                used, reader, writer = idle.pop()
                if time.perf_counter() - used < KEEP_ALIVE_SECONDS and not reader.at_eof():
                    conn = (reader, writer)
                else:  # the server may have closed it already (uvicorn keeps idle connections 5 s)
                    writer.close()
            try:
                if conn is None:
                    conn = await asyncio.open_connection(HOST, port)
                status = await asyncio.wait_for(_exchange(*conn, payloads[i % len(payloads)]), timeout)
                idle.append((time.perf_counter(), *conn))
                outcome = str(status)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                if conn is not None:
                    conn[1].close()
                outcome = type(exc).__name__
            now = time.perf_counter()
            finished = max(finished, now)
            latencies.append(now - due)
            statuses[outcome] = statuses.get(outcome, 0) + 1

    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    for _, _, writer in idle:
        writer.close()
    latencies.sort()
    ok = statuses.get("201", 0)

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    return Step(target_rate=rate, sent=total, ok=ok, errors=total - ok,
                achieved_rate=ok / max(finished - start, 1e-9), p50_ms=pct(0.50), p90_ms=pct(0.90),
                p99_ms=pct(0.99), max_ms=latencies[-1] * 1000 if latencies else float("nan"), statuses=statuses)


def drive_main(args: argparse.Namespace) -> int:
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    bodies = records(args.records, seed=args.seed)
    cpu = time.process_time()
    step = asyncio.run(_drive(args.port, os.environ["FLRISK_LOAD_KEY"], bodies, args.rate, args.duration,
                              args.max_connections, args.timeout))
    step.client_cpu_s = time.process_time() - cpu
    print(json.dumps(asdict(step)))
    return 0


# ---------------------------------------------------------------------------------------------------------
# Orchestration: database, server, one driver process per step, report, cleanup


def _step(port: int, key: str, rate: float, duration: float, args: argparse.Namespace) -> Step:
    cmd = [sys.executable, "-m", "benchmarks.load_screenings", "--drive", "--port", str(port), "--rate", str(rate),
           "--duration", str(duration), "--records", str(args.records or max(1, int(rate * duration))),
           "--seed", str(int(rate * 1000 + duration)),
           "--max-connections", str(args.max_connections), "--timeout", str(args.timeout)]
    out = subprocess.run(cmd, env={**os.environ, "FLRISK_LOAD_KEY": key}, capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    return Step(**json.loads(out.stdout.strip().splitlines()[-1]))


def _stored(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        screenings = conn.execute("SELECT count(*) FROM screening").fetchone()
        events = conn.execute("SELECT count(*) FROM audit_event WHERE type = 'screening.created'").fetchone()
    return int(screenings[0] if screenings else 0), int(events[0] if events else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="50,100,200,300,400,500", help="target requests/s, comma-separated")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per step")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--records", type=int, default=0,
                        help="distinct generated records per step, cycled; 0 (default): one per request, no repeats")
    parser.add_argument("--max-connections", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as failed")
    parser.add_argument("--log-level", default="INFO", help="server FLRISK_LOG_LEVEL (INFO = access lines, as shipped)")
    parser.add_argument("--keep-going", action="store_true", help="run every rate even after one fails")
    parser.add_argument("--server-log", type=Path, help="keep the server's log (JSON lines) at this path")
    # internal: the load-generating process
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drive:
        return drive_main(args)

    import psycopg

    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    name = f"flrisk_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "FLRISK_DATABASE_URL": url, "FLRISK_SECRET_KEY": uuid.uuid4().hex,
           "FLRISK_LOG_LEVEL": args.log_level}
    server: subprocess.Popen[bytes] | None = None
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="flrisk-load-") as tmp:
        log_path = args.server_log or Path(tmp) / "server.log"
        try:
            key = subprocess.run([FLRISK, "keys", "create", "--name", "load", "--scopes", "screen"], env=env,
                                 capture_output=True, text=True, check=True).stdout.strip()
            port = free_port()
            with open(log_path, "wb") as log:
                server = subprocess.Popen([FLRISK, "serve", "--host", HOST, "--port", str(port),
                                           "--workers", str(args.workers)],
                                          env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            wait_ready(f"http://{HOST}:{port}", server)
            print(f"flrisk serve --workers {args.workers} on PostgreSQL ({name}), {os.cpu_count()} CPUs; "
                  f"open-loop POST /v1/screenings, {args.duration:g} s per step", flush=True)
            # Warm-up, not reported: every worker's first requests, then its database connections, PostgreSQL
            # backends and threads at the highest concurrency measured (each is made once per process).
            warm = [_step(port, key, 100, 5, args), _step(port, key, min(max(rates), 400.0), 5, args)]
            print(f"{'target/s':>9} {'achieved/s':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                  f"{'errors':>7}", flush=True)
            for rate in rates:
                step = _step(port, key, rate, args.duration, args)
                steps.append(step)
                other = {k: v for k, v in step.statuses.items() if k != "201"}
                print(f"{step.target_rate:9.0f} {step.achieved_rate:10.1f} {step.p50_ms:8.1f} {step.p90_ms:8.1f} "
                      f"{step.p99_ms:8.1f} {step.max_ms:8.1f} {step.errors:7d}" + (f"  {other}" if other else ""),
                      flush=True)
                if not args.keep_going and (step.errors or step.p99_ms > 4 * P99_TARGET_MS):
                    print("  (stopping: well past the limit)", flush=True)
                    break
            answered = sum(s.ok for s in warm + steps)
            stored, events = _stored(url)
            print(f"201 answers {answered} (warm-up included); stored screenings {stored}; screening.created "
                  f"audit events {events}" + ("" if answered == stored == events else "  MISMATCH"))
            passing = [s for s in steps if s.errors == 0 and s.p99_ms <= P99_TARGET_MS
                       and s.achieved_rate >= 0.95 * s.target_rate]
            best = max((s.target_rate for s in passing), default=None)
            print(f"highest rate with p99 <= {P99_TARGET_MS:g} ms and no errors: "
                  + (f"{best:.0f} screenings/s" if best else "none of the rates tried"))
        finally:
            if server is not None:
                stop(server)
                errors = [line for line in log_path.read_text("utf-8", "replace").splitlines()
                          if '"level": "ERROR"' in line or "Traceback" in line]
                if errors:
                    print(f"server logged {len(errors)} error line(s), first: {errors[0][:300]}")
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
