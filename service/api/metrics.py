"""`GET /metrics`: Prometheus text exposition of this process's figures.

Scrape-time values are refreshed here: the active list versions (from the in-memory registry,
no query) and the pending batch chunks (one COUNT on `batch_chunk`).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client.exposition import choose_encoder
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service.api.auth import require
from service.lists.versions import data_as_of
from service.observability.metrics import Metrics, update_list_gauges

router = APIRouter(tags=["health"], dependencies=[Depends(require("read"))])
log = logging.getLogger(__name__)


@router.get("/metrics", summary="Prometheus metrics of this process", include_in_schema=False)
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
    return Response(encode(registry.registry), headers={"Content-Type": content_type})


def pending_chunks(engine: Engine) -> int | None:
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM batch_chunk WHERE status = 'pending'")).scalar_one())
    except Exception:  # a scrape must not fail because the database is down; /ready reports that
        log.warning("metrics: could not count pending batch chunks", exc_info=True)
        return None

