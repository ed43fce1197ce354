"""A stand-in for the list publishers on 127.0.0.1: serves files from a directory with ETags and 304s.

The ETag is a hash of the file's bytes (plus `salt`, to play an upstream that changes its validators without
changing the content); `If-None-Match` with the current ETag answers 304 Not Modified. Every request is logged
(path, status) so tests can see which were conditional.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.local_server import HOST


@dataclass
class Upstream:
    base: str
    root: Path
    salt: str = ""
    log: list[tuple[str, int]] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"


def _handler(upstream: Upstream) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            path = upstream.root / self.path.split("?", 1)[0].lstrip("/")
            if not path.is_file():
                self._answer(404, b"<html><head><title>Page not found</title></head><body>Not found</body></html>")
                return
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body + upstream.salt.encode()).hexdigest()[:32] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, b"", etag)
                return
            self._answer(200, body, etag)

        def _answer(self, status: int, body: bytes, etag: str | None = None) -> None:
            upstream.log.append((self.path, status))
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Handler


@contextmanager
def upstream_server(root: Path) -> Iterator[Upstream]:
    root.mkdir(parents=True, exist_ok=True)
    upstream = Upstream("", root)
    server = http.server.ThreadingHTTPServer((HOST, 0), _handler(upstream))
    upstream.base = f"http://{HOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        server.shutdown()
        thread.join(timeout=10)
