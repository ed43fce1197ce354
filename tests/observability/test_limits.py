from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial

from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.observability import RateLimitConfig, install_observability
from service.observability.middleware import install_body_limit, install_request_context
from tests.conftest import add_key
from tests.observability.conftest import SCRAPE

LIMIT = 1_000
small_limit = partial(install_body_limit, default_bytes=LIMIT, overrides={"/v1/batches": 10 * LIMIT})


def _big_match_body() -> bytes:
    return json.dumps({"name": "x" * (2 * LIMIT)}).encode()


def _chunks(body: bytes, size: int = 100) -> Iterator[bytes]:
    for i in range(0, len(body), size):
        yield body[i:i + size]


class TestBodyLimit:
    def test_declared_length_over_limit_is_413_problem(self, make_app: Callable[..., FastAPI],
                                                       start: Callable[..., TestClient]) -> None:
        client = start(make_app(small_limit, install_request_context))

        response = client.post("/v1/match", content=_big_match_body(), headers={"content-type": "application/json"})

        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == {"type": "https://flrisk.dev/problems/payload-too-large",
                                   "title": "Request body too large", "status": 413,
                                   "detail": "the request body exceeds this endpoint's limit of 1000 bytes"}
        assert len(response.headers["X-Request-ID"]) == 32

    def test_chunked_upload_counted_while_streaming(self, make_app: Callable[..., FastAPI],
                                                    start: Callable[..., TestClient]) -> None:
        client = start(make_app(small_limit))

        response = client.post("/v1/match", content=_chunks(_big_match_body()),
                               headers={"content-type": "application/json"})

        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json()["status"] == 413

    def test_body_under_limit_reaches_the_route(self, make_app: Callable[..., FastAPI],
                                                start: Callable[..., TestClient]) -> None:
        client = start(make_app(small_limit))
        client.headers["X-API-Key"] = add_key(client)

        response = client.post("/v1/match", json={"name": "HOSHINE SILICON IND SHANSHAN CO LTD"})
        chunked = client.post("/v1/match", content=_chunks(b'{"name": "Hoshine Silicon"}', 5),
                              headers={"content-type": "application/json"})

        assert response.status_code == 200
        assert chunked.status_code == 200

    def test_upload_path_has_its_own_limit(self, make_app: Callable[..., FastAPI],
                                           start: Callable[..., TestClient]) -> None:
        client = start(make_app(small_limit))
        client.headers["X-API-Key"] = add_key(client)
        csv = b"name,country\n" + b"Acme Trading Co,VN\n" * 200  # ~3.8 kB: over the JSON limit, under the upload one

        accepted = client.post("/v1/batches", files={"file": ("vendors.csv", csv, "text/csv")})
        refused = client.post("/v1/batches", files={"file": ("vendors.csv", csv * 4, "text/csv")})

        assert accepted.status_code == 202
        assert refused.status_code == 413


class TestInstallObservability:
    def test_all_pieces_together(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient]) -> None:
        install = partial(install_observability, body_limit=LIMIT, upload_limit=10 * LIMIT,
                          rate_limit=RateLimitConfig(enabled=True, rate_per_second=0.01, burst=1))
        client = start(make_app(install))

        too_large = client.post("/v1/match", content=_big_match_body())
        allowed = client.post("/v1/match", json={"name": "Acme"})
        limited = client.post("/v1/match", json={"name": "Acme"})
        metrics = client.get("/metrics", headers=SCRAPE).text

        assert too_large.status_code == 413  # refused before the key is checked: it costs no allowance
        assert allowed.status_code == 200
        assert limited.status_code == 429
        assert limited.headers["X-Request-ID"]
        assert 'flrisk_http_requests_total{method="POST",route="/v1/match",status="413"} 1.0' in metrics
        assert 'flrisk_http_requests_total{method="POST",route="/v1/match",status="429"} 1.0' in metrics

    def test_installing_again_replaces_instead_of_stacking(self, make_app: Callable[..., FastAPI],
                                                           start: Callable[..., TestClient]) -> None:
        app = make_app(partial(install_observability, body_limit=10 * LIMIT, upload_limit=10 * LIMIT,
                               rate_limit=RateLimitConfig()))
        before = len(app.user_middleware)
        small_limit(app)
        install_request_context(app)
        client = start(app)

        response = client.post("/v1/match", content=_big_match_body())

        assert len(app.user_middleware) == before
        assert response.status_code == 413
        assert len(response.headers.get_list("X-Request-ID")) == 1
