"""Two ways to screen the checked records: the embedded engine over the shipped lists, or a flrisk server.

The local engine needs no server and no database: it builds the active lists from the snapshot in
`fixtures/lists/` and screens in-process. The server engine posts the same requests to
`POST /v1/screenings:batch` in chunks; connection errors, timeouts, 429 and 5xx are retried with
back-off (one Idempotency-Key per chunk, so a retry never stores a chunk twice) and then reported as
"unreachable" (exit 3); any other 4xx is a refusal (exit 2).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from service.check import CheckError, ServerRefused, ServerUnreachable
from service.check.inputs import CheckItem
from service.contracts.screening import MAX_GOODS_PER_REQUEST, MAX_INPUTS_PER_REQUEST, MAX_PARTIES_PER_REQUEST
from service.lists.active import ActiveLists, VersionInfo
from service.screening.relations import RelationsView

Advance = Callable[[int], None]  # progress: n more records screened
CHUNK = 1000  # the batch endpoint's limit
_RECORD_POINTER = re.compile(r"^/records/(\d+)(.*)$")


@dataclass(frozen=True)
class CheckResult:
    item: CheckItem
    verdict: str
    risk_score: int
    summary: str
    evidence: list[dict[str, Any]]  # as in the API's ScreeningResult.evidence
    warnings: list[str] = field(default_factory=list)  # the file's (unrecognised countries) and the result's


@dataclass(frozen=True)
class Screened:
    results: list[CheckResult]
    list_versions: dict[str, str]  # source -> version label, as stored with every result
    engine: str  # "local" or the server URL
    lists: list[dict[str, Any]] = field(default_factory=list)  # the results' `lists` (ListUsage as JSON)
    list_warnings: list[str] = field(default_factory=list)  # about those lists (partial, stale), once

    @property
    def stale(self) -> list[dict[str, Any]]:
        return [u for u in self.lists if u.get("stale")]


class Engine(Protocol):
    def screen(self, items: Sequence[CheckItem], advance: Advance) -> Screened: ...


def snapshot_lists() -> ActiveLists:
    """The shipped snapshot as active lists, without a database (version ids number the sources)."""
    from service.lists.parsers.detect import content_hash
    from service.lists.parsers.snapshot_csv import read_snapshot_csv
    from service.lists.snapshot import manifest
    from service.paths import fixtures_dir

    entries = []
    versions: dict[str, VersionInfo] = {}
    loaded_at = datetime.now(UTC)
    for number, spec in enumerate(manifest().values(), start=1):
        found = read_snapshot_csv(fixtures_dir() / "lists" / spec.file, source=spec.source)
        versions[spec.source] = VersionInfo(number, spec.source, content_hash(found), len(found), loaded_at,
                                            spec.snapshot_date, spec.coverage_note, spec.official_count,
                                            spec.official_count_date)
        entries.extend(found)
    return ActiveLists.from_entries(versions, entries)


class LocalEngine:
    def __init__(self, relations: Sequence[Path] = ()) -> None:
        self.relations = tuple(relations)  # GLEIF / OpenSanctions files, read in memory

    def screen(self, items: Sequence[CheckItem], advance: Advance) -> Screened:
        from service.lists.usage import with_caveat
        from service.screening.verdict import screen
        from service.services.context import default_thresholds, screening_context, used_lists
        from service.services.screening import request_warnings, to_record
        from service.settings import get_settings

        lists = snapshot_lists()
        view = local_relations(lists, self.relations, get_settings().relations_max_hops)
        ctx = screening_context(lists, default_thresholds(get_settings()), relations=view)
        used = used_lists(lists, get_settings())  # the shipped snapshot: never checked, aged from its date
        caveat = used.caveat()
        results = []
        for item in items:
            outcome = screen(to_record(item.request), ctx)
            results.append(CheckResult(item, outcome.verdict, outcome.risk_score,
                                       with_caveat(outcome.summary, outcome.verdict, caveat),
                                       [e.to_dict() for e in outcome.evidence],
                                       [*item.warnings, *request_warnings(item.request)]))
            advance(1)
        labels = {s: f"shipped snapshot sha256:{v.content_hash[:12]} as of {v.snapshot_date}"
                  for s, v in sorted(lists.versions.items())}
        return Screened(results, {**labels, **view.versions}, "local",
                        used.as_json(), used.warnings)


def local_relations(lists: ActiveLists, files: Sequence[Path], max_hops: int) -> RelationsView:
    """The lists' own relations plus those read from `files` (streamed, like `flrisk relations update`)."""
    from service.lists.errors import ListLoadError
    from service.relations.active import files_view
    from service.relations.update import read_relation_files

    try:
        loaded = read_relation_files(files, lists, hops=max_hops)
    except ListLoadError as exc:
        raise CheckError(f"--relations: {exc}") from exc
    labels = {f"relations:{part.source}": f"files {', '.join(p.name for p in files)}" for part in loaded}
    return files_view(loaded, labels, lists, max_hops=max_hops)


class ServerEngine:
    def __init__(self, url: str, api_key: str | None, *, timeout: float = 120.0, retries: int = 3,
                 backoff: float = 0.5, chunk: int = CHUNK) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout, self.retries, self.backoff, self.chunk = timeout, retries, backoff, chunk

    def screen(self, items: Sequence[CheckItem], advance: Advance) -> Screened:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        results: list[CheckResult] = []
        versions: dict[str, str] = {}
        lists: dict[tuple[str, int], dict[str, Any]] = {}
        list_warnings: dict[str, None] = {}
        with httpx.Client(base_url=self.url, headers=headers, timeout=self.timeout) as client:
            for part in _chunks(items, self.chunk):
                body = self._post(client, part)
                about_lists = set(body.get("warnings") or ())
                list_warnings.update(dict.fromkeys(body.get("warnings") or ()))
                for usage in body.get("lists") or ():
                    seen = lists.get((usage["source"], usage["version"]))
                    lists[(usage["source"], usage["version"])] = {
                        **usage, "stale": bool(usage.get("stale") or (seen and seen.get("stale")))}
                for item, res in zip(part, body["data"], strict=True):
                    own = [w for w in res.get("warnings") or () if w not in about_lists]
                    results.append(CheckResult(item, res["verdict"], res["risk_score"], res["summary"],
                                               res["evidence"], [*item.warnings, *own]))
                    versions = res.get("list_versions") or versions
                advance(len(part))
        return Screened(results, versions, self.url, list(lists.values()), list(list_warnings))

    def _post(self, client: Any, part: Sequence[CheckItem]) -> dict[str, Any]:
        """The `screenings:batch` answer: `data` (one result per record), `lists` and `warnings`."""
        import httpx

        body = {"records": [item.request.model_dump(mode="json", exclude_none=True) for item in part]}
        headers = {"Idempotency-Key": f"flrisk-check-{uuid.uuid4()}"}
        failure = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2 ** attempt
            try:
                response = client.post("/v1/screenings:batch", json=body, headers=headers)
            except httpx.TransportError as exc:  # connect errors, timeouts, dropped connections
                failure = f"cannot reach {self.url}: {type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    return _data(response, len(part), self.url)
                if response.status_code < 500 and response.status_code != 429:
                    raise ServerRefused(_refusal(response, part, self.url))
                failure = f"{self.url} answered {response.status_code}"
                wait = max(wait, min(_retry_after(response), 30.0))
            if attempt < self.retries:
                time.sleep(wait)
        raise ServerUnreachable(f"{failure} (gave up after {self.retries + 1} attempts)")


def _chunks(items: Sequence[CheckItem], size: int) -> Iterator[Sequence[CheckItem]]:
    """Up to `size` records per request, and never more parties, goods lines or inputs than one request takes."""
    caps = (MAX_PARTIES_PER_REQUEST, MAX_GOODS_PER_REQUEST, MAX_INPUTS_PER_REQUEST)
    start = 0
    totals: tuple[int, ...] = (0, 0, 0)  # parties, goods lines, inputs so far
    for end, item in enumerate(items):
        goods = item.request.goods
        inputs = [i for g in goods for i in g.inputs]
        cost = (len(item.request.parties) + sum(i.supplier is not None for i in inputs), len(goods), len(inputs))
        added = tuple(t + c for t, c in zip(totals, cost, strict=True))
        if end > start and (end - start >= size or any(a > cap for a, cap in zip(added, caps, strict=True))):
            yield items[start:end]
            start, added = end, cost
        totals = added
    if start < len(items):
        yield items[start:]


def _data(response: Any, expected: int, url: str) -> dict[str, Any]:
    try:
        body = response.json()
        data = body["data"]
    except (ValueError, KeyError, TypeError):
        raise ServerRefused(f"{url} did not answer like a flrisk server (status {response.status_code}, "
                            f"{response.headers.get('content-type', 'no content type')})") from None
    if not isinstance(data, list) or len(data) != expected:
        raise ServerRefused(f"{url} returned {len(data) if isinstance(data, list) else 'no'} results "
                            f"for {expected} records")
    return dict(body)


def _refusal(response: Any, part: Sequence[CheckItem], url: str) -> str:
    status = response.status_code
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    if status in (401, 403):
        return (f"{url} refused the API key ({status}: {problem.get('detail', response.reason_phrase)}); "
                "set FLRISK_API_KEY to a key with the `screen` scope")
    lines = [f"{url} refused the request ({status}: {problem.get('detail') or response.reason_phrase})"]
    for err in (problem.get("errors") or [])[:10]:
        lines.append(f"  {_where(str(err.get('pointer', '')), part)}: {err.get('detail', '')}")
    return "\n".join(lines)


def _where(pointer: str, part: Sequence[CheckItem]) -> str:
    """A pointer into the chunk (`/records/7/goods/0/hs_code`) as the record's line in the file."""
    match = _RECORD_POINTER.match(pointer)
    if match and int(match.group(1)) < len(part):
        item = part[int(match.group(1))]
        return f"line {item.line} ({item.reference}){match.group(2)}"
    return pointer or "request"


def _retry_after(response: Any) -> float:
    try:
        return float(response.headers.get("retry-after", 0))
    except ValueError:
        return 0.0
