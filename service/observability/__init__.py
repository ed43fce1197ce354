"""Operations: Prometheus metrics, JSON logs with request ids, body-size limits and rate limiting.

The middlewares always nest the same way, whatever order they are installed in: the request-id
layer outermost (so every response, 413 and 429 included, carries `X-Request-ID` and gets an
access line), then metrics, then the body-size limit, then the check for repeated single-valued query
parameters next to the app. Rate limits are applied by the key check itself (see `ratelimit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

from service.api.errors import problem_content
from service.observability.metrics import install_metrics
from service.observability.middleware import (
    install_body_limit,
    install_repeated_query_check,
    install_request_context,
)
from service.observability.ratelimit import EXEMPT_PATHS, RateLimitConfig, install_rate_limit
from service.observability.runtime import install_runtime_tuning

__all__ = ["MULTIPART_OVERHEAD_BYTES", "RateLimitConfig", "install_observability"]

MULTIPART_OVERHEAD_BYTES = 1024 * 1024  # boundaries, part headers and form fields around the uploaded file


def install_observability(app: FastAPI, *, body_limit: int, upload_limit: int, rate_limit: RateLimitConfig,
                          upload_paths: Iterable[str] = ("/v1/batches",)) -> None:
    """Call once in `create_app`, before the app starts (middlewares cannot be added later).

    `upload_limit` is the file size allowed on the `upload_paths` (file uploads of the API and the console);
    the multipart framing is added here.
    """
    uploads = dict.fromkeys(upload_paths, upload_limit + MULTIPART_OVERHEAD_BYTES)
    install_body_limit(app, default_bytes=body_limit, overrides=uploads)
    install_repeated_query_check(app)
    install_rate_limit(app, rate_limit)
    install_metrics(app)
    install_request_context(app)
    install_runtime_tuning(app)
    _document_limits(app)


def _document_limits(app: FastAPI) -> None:
    """Document what the middlewares can answer on any operation: 413 where a body is sent, and 429
    (with `Retry-After`) wherever the rate limiter applies. The schema documents 429 whether or not
    limiting is enabled in this deployment, so the committed document does not depend on settings."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if "requestBody" in operation:
                    responses.setdefault("413", {"description": "Request body too large",
                                                 "content": problem_content()})
                if path not in EXEMPT_PATHS:
                    responses.setdefault("429", {
                        "description": "Too many requests (when per-key rate limiting is enabled)",
                        "headers": {"Retry-After": {"description": "Seconds to wait before retrying.",
                                                    "schema": {"type": "integer"}}},
                        "content": problem_content()})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
