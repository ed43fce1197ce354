"""Bring `--from` arguments (paths or http(s) URLs) to local files for the parsers."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from service.lists.errors import ListLoadError
from service.observability.logging import redact

MAX_DOWNLOAD_BYTES = 1 << 30  # a full CSL/SDN JSON export is ~100 MB; 1 GiB leaves room, stops a runaway


def is_url(value: str) -> bool:
    return urlparse(value).scheme in ("http", "https")


@contextmanager
def local_files(sources: Sequence[str], *, timeout: float = 60.0) -> Iterator[list[Path]]:
    """Yield local paths for every source; URLs are downloaded to a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="flrisk-fetch-") as tmp:
        paths = []
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            for i, src in enumerate(sources):
                paths.append(_download(client, src, Path(tmp), i) if is_url(src) else _local(src))
        yield paths


def _local(src: str) -> Path:
    path = Path(src).expanduser()
    if not path.exists():
        raise ListLoadError(f"{src}: no such file or directory")
    return path


def _download(client: httpx.Client, url: str, tmp: Path, i: int) -> Path:
    name = Path(unquote(urlparse(url).path)).name or f"download-{i}"
    target = tmp / f"{i}" / name
    target.parent.mkdir()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ListLoadError(f"{redact(url)}: HTTP {response.status_code}")
            save_body(response, target, url)
    except httpx.HTTPError as exc:
        raise ListLoadError(f"{redact(url)}: download failed: {redact(exc)}") from exc
    return target


def save_body(response: httpx.Response, target: Path, url: str) -> None:
    """Stream a response body to `target`, refusing it past MAX_DOWNLOAD_BYTES."""
    size = 0
    with target.open("wb") as fh:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_DOWNLOAD_BYTES:
                raise ListLoadError(f"{redact(url)}: larger than {MAX_DOWNLOAD_BYTES} bytes; refused")
            fh.write(chunk)
