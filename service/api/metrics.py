"""`GET /metrics`: Prometheus text exposition, for the operator only.

The figures are the whole service's (every organisation's requests and batch rows), so no tenant's API key
opens them: the scraper sends `Authorization: Bearer <FLRISK_METRICS_TOKEN>`; without that setting the
endpoint answers 403. Under `flrisk serve --workers N` every process writes its figures to
prometheus_client's multiprocess directory and any process answers with the sum of all.

Scrape-time values are refreshed here: the active list versions (from the in-memory registry,
no query) and the pending batch chunks (one COUNT on `batch_chunk`).
"""

from __future__ import annotations

import hmac
import logging

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client.exposition import choose_encoder
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service.api.errors import ApiError
from service.lists.versions import data_as_of
from service.observability.metrics import Metrics, exposed_registry, update_list_gauges

log = logging.getLogger(__name__)


class MetricsTokenError(ApiError):
    status, slug, title = 403, "forbidden", "Metrics need the operator's token"


def require_metrics_token(request: Request) -> None:
    token: str | None = request.app.state.settings.metrics_token if hasattr(request.app.state, "settings") else None
    sent = request.headers.get("authorization", "")
    if not token:
        raise MetricsTokenError("metrics are served only when FLRISK_METRICS_TOKEN is set; send it as "
                                "`Authorization: Bearer <token>`")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise MetricsTokenError("send the operator's FLRISK_METRICS_TOKEN as `Authorization: Bearer <token>`; "
                                "API keys do not open /metrics")


router = APIRouter(tags=["health"], dependencies=[Depends(require_metrics_token)])


@router.get("/metrics", summary="Prometheus metrics of the service", include_in_schema=False)
def metrics(request: Request) -> Response:
    state = request.app.state
    registry: Metrics = state.metrics
    if getattr(state, "registry", None) is not None:
        versions = state.registry.current().versions.values()
        update_list_gauges(((v.source, v.id, v.entry_count, data_as_of(v))  # VersionInfo has the fields it reads
                                for v in versions), registry)
    if getattr(state, "engine", None) is not None:
        pending = pending_chunks(state.engine)
        if pending is not None:
            registry.chunks_pending.set(pending)
    encode, content_type = choose_encoder(request.headers.get("accept", ""))  # OpenMetrics if asked for
    return Response(encode(exposed_registry(registry)), headers={"Content-Type": content_type})


def pending_chunks(engine: Engine) -> int | None:
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM batch_chunk WHERE status = 'pending'")).scalar_one())
    except Exception:  # a scrape must not fail because the database is down; /ready reports that
        log.warning("metrics: could not count pending batch chunks", exc_info=True)
        return None

