from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.observability.logging import configure_logging
from service.observability.middleware import install_request_context


@pytest.fixture
def capture_logs() -> Iterator[Callable[[], io.StringIO]]:
    """capture(): configure_logging() into a string buffer. Call it after building the app (create_app may
    configure logging itself); the previous logging setup is restored afterwards."""
    root, access = logging.getLogger(), logging.getLogger("uvicorn.access")
    saved = (list(root.handlers), root.level, access.disabled, access.propagate)

    def capture() -> io.StringIO:
        stream = io.StringIO()
        configure_logging("INFO", json=True).setStream(stream)  # type: ignore[attr-defined]
        return stream

    yield capture
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    access.disabled, access.propagate = saved[2], saved[3]


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _app_with_routes(make_app: Callable[..., FastAPI]) -> FastAPI:
    app = make_app(install_request_context)

    @app.get("/test/log/{item}")
    def log_something(item: str) -> dict[str, str]:
        logging.getLogger("flrisk.test").info("inside the handler", extra={"supplier": item})
        return {"ok": item}

    @app.get("/test/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    return app


class TestRequestId:
    def test_generated_when_absent(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient]) -> None:
        response = start(make_app(install_request_context)).get("/health")

        assert response.status_code == 200
        assert len(response.headers["X-Request-ID"]) == 32
        int(response.headers["X-Request-ID"], 16)

    def test_valid_incoming_id_echoed(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient]) -> None:
        response = start(make_app(install_request_context)).get("/health", headers={"X-Request-ID": "erp-42.a_b"})

        assert response.headers["X-Request-ID"] == "erp-42.a_b"

    @pytest.mark.parametrize("bad", [b"a" * 129, b"has space", b"semi;colon", "\u00fcn\u00efcode".encode()])
    def test_invalid_incoming_id_replaced(self, bad: bytes, make_app: Callable[..., FastAPI],
                                          start: Callable[..., TestClient]) -> None:
        response = start(make_app(install_request_context)).get(
            "/health", headers={"X-Request-ID": bad})

        assert response.headers["X-Request-ID"].encode() != bad
        assert len(response.headers["X-Request-ID"]) == 32

    def test_on_problem_json_errors(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient]) -> None:
        client = start(make_app(install_request_context))

        not_found = client.get("/v1/nothing", headers={"X-Request-ID": "r-404"})
        invalid = client.post("/v1/match", json={}, headers={"X-Request-ID": "r-401"})

        assert not_found.status_code == 404
        assert not_found.headers["content-type"] == "application/problem+json"
        assert not_found.headers["X-Request-ID"] == "r-404"
        assert invalid.status_code in (401, 422)
        assert invalid.headers["content-type"] == "application/problem+json"
        assert invalid.headers["X-Request-ID"] == "r-401"

    def test_on_unhandled_500(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient],
                              capture_logs: Callable[[], io.StringIO]) -> None:
        app = _app_with_routes(make_app)
        log_stream = capture_logs()
        client = start(app, raise_server_exceptions=False)

        response = client.get("/test/boom", headers={"X-Request-ID": "r-500"})

        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "https://flrisk.dev/problems/internal-error"
        assert response.headers["X-Request-ID"] == "r-500"
        errors = [line for line in _lines(log_stream) if line["level"] == "ERROR"]
        assert errors[0]["request_id"] == "r-500"
        assert "RuntimeError: boom" in errors[0]["exc"]


class TestJsonLogs:
    def test_access_line_and_handler_line_carry_request_id(self, make_app: Callable[..., FastAPI],
                                                           start: Callable[..., TestClient],
                                                           capture_logs: Callable[[], io.StringIO]) -> None:
        app = _app_with_routes(make_app)
        log_stream = capture_logs()
        client = start(app)

        response = client.get("/test/log/acme", headers={"X-Request-ID": "r-1"})

        assert response.status_code == 200
        lines = [line for line in _lines(log_stream) if line["request_id"] == "r-1"]
        inside = next(line for line in lines if line["logger"] == "flrisk.test")
        access = next(line for line in lines if line["logger"] == "flrisk.access")
        assert inside["message"] == "inside the handler"
        assert inside["supplier"] == "acme"
        assert inside["level"] == "INFO"
        assert inside["ts"].endswith("+00:00")
        assert access["message"] == "GET /test/log/{item} 200"
        assert access["method"] == "GET"
        assert access["route"] == "/test/log/{item}"
        assert access["status"] == 200
        assert access["duration_ms"] >= 0
        assert access["client"] == "testclient:50000"

    def test_outside_a_request_request_id_is_null(self, capture_logs: Callable[[], io.StringIO]) -> None:
        log_stream = capture_logs()
        logging.getLogger("flrisk.test").warning("no request here")

        assert _lines(log_stream)[-1] == {"ts": _lines(log_stream)[-1]["ts"], "level": "WARNING",
                                          "logger": "flrisk.test", "message": "no request here", "request_id": None}

    def test_probes_log_at_debug(self, make_app: Callable[..., FastAPI], start: Callable[..., TestClient],
                                 capture_logs: Callable[[], io.StringIO]) -> None:
        app = make_app(install_request_context)
        log_stream = capture_logs()
        start(app).get("/health", headers={"X-Request-ID": "probe"})

        assert [line for line in _lines(log_stream) if line["request_id"] == "probe"] == []

    def test_plain_text_mode(self, capture_logs: Callable[[], io.StringIO]) -> None:
        stream = io.StringIO()
        configure_logging("DEBUG", json=False).setStream(stream)  # type: ignore[attr-defined]

        logging.getLogger("flrisk.test").debug("plain")

        assert stream.getvalue().rstrip().endswith("DEBUG flrisk.test [None]: plain")

    def test_configuring_twice_keeps_one_console_handler(self, capture_logs: Callable[[], io.StringIO]) -> None:
        configure_logging("INFO")
        configure_logging("INFO")

        console = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
        assert len(console) == 1
        assert logging.getLogger("uvicorn.access").disabled is True
