"""Download a source's files with conditional requests (ETag / Last-Modified), for `flrisk lists sync`.

Validators are kept per URL under the SHA-256 of the full URL (which may hold a user, password or token); only
the redacted URL is ever stored, logged or shown. When every URL of a source answers 304 Not Modified nothing is
downloaded. When only some do, those are downloaded again without validators: a source is parsed from all its
files together (the DHS page with the Federal Register results).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx
from lxml import html as lxml_html

from service.lists.errors import ListLoadError
from service.lists.fetch import is_url, save_body
from service.lists.sources import SourceConfig
from service.observability.logging import redact


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path | None  # None: 304 Not Modified
    validators: Validators


@dataclass
class SourceFiles:
    not_modified: bool
    paths: list[Path] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # redacted URLs (or paths) the files came from
    validators: dict[str, tuple[str, Validators]] = field(default_factory=dict)  # url hash -> (redacted url, ...)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def fetch_source(client: httpx.Client, cfg: SourceConfig, known: Mapping[str, Validators], tmp: Path) -> SourceFiles:
    """Every file of `cfg` into `tmp`, or `not_modified` when every URL answered 304 to its stored validators."""
    urls = [discover(client, u, cfg.discover) if cfg.discover and is_url(u) else u for u in cfg.urls]
    fetched = [_get(client, u, known.get(url_hash(u)), tmp / str(i)) if is_url(u) else _local(u)
               for i, u in enumerate(urls)]
    if all(f.path is None for f in fetched):
        return SourceFiles(not_modified=True)
    fetched = [_get(client, f.url, None, tmp / f"{i}-full") if f.path is None else f for i, f in enumerate(fetched)]
    files = SourceFiles(not_modified=False, paths=[f.path for f in fetched if f.path is not None],
                        origins=[redact(f.url) for f in fetched])
    for f in fetched:
        if is_url(f.url):
            files.validators[url_hash(f.url)] = (redact(f.url), f.validators)
    return files


def _local(path: str) -> Fetched:
    local = Path(path).expanduser()
    if not local.exists():
        raise ListLoadError(f"{path}: no such file or directory")
    return Fetched(path, local, Validators())


def _get(client: httpx.Client, url: str, validators: Validators | None, directory: Path) -> Fetched:
    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    name = Path(unquote(urlparse(url).path)).name or "download"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304 and headers:
                return Fetched(url, None, validators or Validators())
            if response.status_code != 200:
                raise ListLoadError(f"{redact(url)}: HTTP {response.status_code}")
            save_body(response, target, url)
            return Fetched(url, target, Validators(response.headers.get("etag"),
                                                   response.headers.get("last-modified")))
    except httpx.HTTPError as exc:
        raise ListLoadError(f"{redact(url)}: download failed: {redact(exc)}") from exc


def discover(client: httpx.Client, page_url: str, pattern: str) -> str:
    """The first link on the HTML page at `page_url` whose address matches `pattern`, made absolute."""
    try:
        response = client.get(page_url)
    except httpx.HTTPError as exc:
        raise ListLoadError(f"{redact(page_url)}: download failed: {redact(exc)}") from exc
    if response.status_code != 200:
        raise ListLoadError(f"{redact(page_url)}: HTTP {response.status_code}")
    wanted = re.compile(pattern)
    try:
        links = lxml_html.fromstring(response.content).xpath("//a/@href")
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ListLoadError(f"{redact(page_url)}: not an HTML page ({exc})") from exc
    for href in links:
        if wanted.search(str(href).strip()):
            return urljoin(str(response.url), str(href).strip())
    raise ListLoadError(f"{redact(page_url)}: no link matching {pattern!r} on the page; has the page moved?")
