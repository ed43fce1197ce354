"""`flrisk serve` and `flrisk worker` as subprocesses on 127.0.0.1, for benchmarks and end-to-end runs:
a free port, waiting until the server is ready, and stopping a process group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 120, path: str = "/ready") -> None:
    """Until `base + path` answers 200; SystemExit if the process exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"flrisk serve exited with {proc.returncode} while starting; see its log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}{path}", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"flrisk serve not ready within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM to the process group of `proc` (started with `start_new_session=True`), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
