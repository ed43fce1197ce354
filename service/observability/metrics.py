"""Prometheus metrics, one `CollectorRegistry` per app (kept on `app.state.metrics`).

Request counts and latencies are recorded by `MetricsMiddleware` under the route template.
Code outside the HTTP layer (the screening service, batch chunks) records through
`observe_screening()` and `count_batch_rows()`, which use the metrics of the most recently
installed app in this process, or an explicit `Metrics` (e.g. a worker's own), or do nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.observability.middleware import route_template, set_middleware

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
ListVersionRow = tuple[str, int | str, int, datetime | None]  # source, version id, entries, data as of


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter("flrisk_http_requests", "HTTP requests by route template and status.",
                                ["method", "route", "status"], registry=r)
        self.request_seconds = Histogram("flrisk_http_request_duration_seconds", "HTTP request latency.",
                                         ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.screening_seconds = Histogram("flrisk_screening_duration_seconds", "Time to screen one record.",
                                           buckets=LATENCY_BUCKETS, registry=r)
        self.batch_rows = Counter("flrisk_batch_rows", "Batch rows screened, by verdict.", ["verdict"], registry=r)
        # Every process sees the same lists and queue: in multiprocess mode the latest value is the answer.
        latest: Final = "mostrecent"
        self.list_entries = Gauge("flrisk_list_entries", "Entries in the active version.", ["source"],
                                  multiprocess_mode=latest, registry=r)
        self.list_age = Gauge("flrisk_list_age_seconds", "Age of the active version's data.", ["source"],
                              multiprocess_mode=latest, registry=r)
        self.list_version = Gauge("flrisk_list_version", "Active version id.", ["source"],
                                  multiprocess_mode=latest, registry=r)
        self.chunks_pending = Gauge("flrisk_batch_chunks_pending", "Batch chunks waiting to be screened.",
                                    multiprocess_mode=latest, registry=r)


_current: Metrics | None = None


def current_metrics() -> Metrics | None:
    return _current


@contextmanager
def observe_screening(metrics: Metrics | None = None) -> Iterator[None]:
    """`with observe_screening(): outcome = screen(record, ctx)` records the screening latency."""
    target = metrics or _current
    started = time.perf_counter()
    try:
        yield
    finally:
        if target is not None:
            target.screening_seconds.observe(time.perf_counter() - started)


def count_batch_rows(results: Iterable[Mapping[str, Any] | Any], metrics: Metrics | None = None) -> None:
    """Count screened batch rows by verdict; accepts result dicts or objects with `.verdict`."""
    target = metrics or _current
    if target is None:
        return
    counts: dict[str, int] = {}
    for result in results:
        verdict = result.get("verdict") if isinstance(result, Mapping) else getattr(result, "verdict", None)
        counts[str(verdict or "unknown")] = counts.get(str(verdict or "unknown"), 0) + 1
    for verdict, n in counts.items():
        target.batch_rows.labels(verdict=verdict).inc(n)


def update_list_gauges(versions: Iterable[ListVersionRow], metrics: Metrics | None = None,
                       now: datetime | None = None) -> None:
    target = metrics or _current
    if target is None:
        return
    now = now or datetime.now(UTC)
    for source, version_id, entry_count, as_of in versions:
        target.list_entries.labels(source=source).set(entry_count)
        target.list_version.labels(source=source).set(_number(version_id))
        if as_of is not None:
            aware = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
            target.list_age.labels(source=source).set(max(0.0, (now - aware).total_seconds()))


def _number(version_id: int | str) -> float:
    try:
        return float(str(version_id).lstrip("v"))
    except ValueError:
        return float("nan")


class MetricsMiddleware:
    layer = 1  # inside the request-id layer, outside the limits, so 413 and 429 are counted

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route, method = route_template(scope), scope["method"]
            self.metrics.requests.labels(method=method, route=route, status=str(status)).inc()
            self.metrics.request_seconds.labels(method=method, route=route).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI) -> Metrics:
    """Create the app's registry and record every request (`create_app` serves it at `GET /metrics`)."""
    global _current
    if isinstance(getattr(app.state, "metrics", None), Metrics):  # already installed: keep one registry
        _current = app.state.metrics
        return _current
    metrics = Metrics()
    app.state.metrics = metrics
    set_middleware(app, MetricsMiddleware, metrics=metrics)
    _current = metrics
    return metrics


def exposed_registry(metrics: Metrics) -> CollectorRegistry:
    """What a scrape shows: this process's registry, or, under several server processes (prometheus_client's
    multiprocess mode, `PROMETHEUS_MULTIPROC_DIR`), the figures of all of them added up."""
    if not os.environ.get(MULTIPROC_ENV):
        return metrics.registry
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
    return combined


def start_worker_metrics(port: int) -> Metrics:
    """For `flrisk worker`: a process with no API of its own serves its metrics on `port`."""
    global _current
    _current = Metrics()
    start_http_server(port, registry=_current.registry)
    return _current
