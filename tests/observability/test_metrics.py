from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import generate_latest

from service.observability.metrics import (
    Metrics,
    count_batch_rows,
    current_metrics,
    install_metrics,
    observe_screening,
    update_list_gauges,
)
from tests.conftest import add_key
from tests.observability.conftest import SCRAPE


def _sample(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert match, f"{name} not in metrics"
    return float(match.group(1))


class TestMetricsEndpoint:
    def test_requests_counted_by_route_template_and_status(self, make_app: Callable[..., FastAPI],
                                                           start: Callable[..., TestClient]) -> None:
        client = start(make_app(install_metrics))
        client.headers["X-API-Key"] = add_key(client)
        for source in ("uflpa_entity_list", "uflpa_entity_list", "ofac_sdn"):
            assert client.get(f"/v1/lists/{source}/entries").status_code == 200
        assert client.get("/v1/lists/nope/entries").status_code == 404
        assert client.get("/no/such/path").status_code == 404

        response = client.get("/metrics", headers=SCRAPE)

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=")
        text = response.text
        route = 'route="/v1/lists/{source}/entries"'
        assert _sample(text, f'flrisk_http_requests_total{{method="GET",{route},status="200"}}') == 3.0
        assert _sample(text, f'flrisk_http_requests_total{{method="GET",{route},status="404"}}') == 1.0
        assert _sample(text, 'flrisk_http_requests_total{method="GET",route="<unmatched>",status="404"}') == 1.0
        assert _sample(text, f'flrisk_http_request_duration_seconds_count{{method="GET",{route}}}') == 4.0
        assert "uflpa_entity_list/entries" not in text

    def test_list_gauges_and_queue_depth(self, make_app: Callable[..., FastAPI],
                                         start: Callable[..., TestClient]) -> None:
        client = start(make_app(install_metrics))

        text = client.get("/metrics", headers=SCRAPE).text

        assert _sample(text, 'flrisk_list_entries{source="uflpa_entity_list"}') == 149.0
        assert _sample(text, 'flrisk_list_version{source="uflpa_entity_list"}') >= 1.0
        assert _sample(text, 'flrisk_list_age_seconds{source="ofac_sdn"}') > 86_400
        assert _sample(text, "flrisk_batch_chunks_pending") == 0.0

    def test_two_apps_have_separate_registries(self, make_app: Callable[..., FastAPI],
                                               start: Callable[..., TestClient]) -> None:
        first, second = make_app(install_metrics), make_app(install_metrics)
        start(first).get("/health")

        assert first.state.metrics is not second.state.metrics
        assert "/health" in generate_latest(first.state.metrics.registry).decode()
        assert "/health" not in generate_latest(second.state.metrics.registry).decode()
        assert current_metrics() is second.state.metrics


class TestRecordingHelpers:
    def test_screening_latency_and_batch_rows(self) -> None:
        metrics = Metrics()
        with observe_screening(metrics):
            pass
        count_batch_rows([{"verdict": "clear"}, {"verdict": "review"}, {"verdict": "clear"}], metrics)

        text = generate_latest(metrics.registry).decode()

        assert _sample(text, "flrisk_screening_duration_seconds_count") == 1.0
        assert _sample(text, 'flrisk_batch_rows_total{verdict="clear"}') == 2.0
        assert _sample(text, 'flrisk_batch_rows_total{verdict="review"}') == 1.0

    def test_update_list_gauges(self) -> None:
        metrics = Metrics()
        now = datetime(2026, 1, 2, tzinfo=UTC)

        update_list_gauges([("bis_entity_list", 7, 5, datetime(2026, 1, 1))], metrics, now=now)

        text = generate_latest(metrics.registry).decode()
        assert _sample(text, 'flrisk_list_entries{source="bis_entity_list"}') == 5.0
        assert _sample(text, 'flrisk_list_version{source="bis_entity_list"}') == 7.0
        assert _sample(text, 'flrisk_list_age_seconds{source="bis_entity_list"}') == 86_400.0
