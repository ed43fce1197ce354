"""A real uvicorn serving an app on a free 127.0.0.1 port in a daemon thread, for browser and end-to-end tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from benchmarks.local_server import HOST, free_port


@contextmanager
def uvicorn_thread(app: Any, timeout: float = 60) -> Iterator[str]:
    """Yields the base URL once the server has started (lifespan included); stops it on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, f"uvicorn did not start within {timeout:.0f} s"
        time.sleep(0.05)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
