"""Operations: Prometheus metrics, JSON logs with request ids, body-size limits and rate limiting.

The middlewares always nest the same way, whatever order they are installed in: the request-id
layer outermost (so every response, 413 and 429 included, carries `X-Request-ID` and gets an
access line), then metrics, then the rate limiter, then the body-size limit next to the app.
"""

from __future__ import annotations

from fastapi import FastAPI

from service.observability.metrics import install_metrics
from service.observability.middleware import install_body_limit, install_request_context
from service.observability.ratelimit import RateLimitConfig, install_rate_limit

__all__ = ["MULTIPART_OVERHEAD_BYTES", "RateLimitConfig", "install_observability"]

MULTIPART_OVERHEAD_BYTES = 1024 * 1024  # boundaries, part headers and form fields around the uploaded file


def install_observability(app: FastAPI, *, body_limit: int, upload_limit: int, rate_limit: RateLimitConfig) -> None:
    """Call once in `create_app`, before the app starts (middlewares cannot be added later).

    `upload_limit` is the file size allowed on `POST /v1/batches`; the multipart framing is added here.
    """
    uploads = {"/v1/batches": upload_limit + MULTIPART_OVERHEAD_BYTES}
    install_body_limit(app, default_bytes=body_limit, overrides=uploads)
    install_rate_limit(app, rate_limit)
    install_metrics(app)
    install_request_context(app)
