"""`flrisk lists sync` and its periodic task: every configured source from its upstream, one transaction each.

A source that fails (download, parse, or the shrink guard) keeps its active version; the failure is recorded on
the source (`last_error`) in a transaction of its own, and the other sources are still synced.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine

from service.lists.sources import SourceConfig, configuration
from service.lists.sync import SyncResult, apply, known_validators, prepare, record_failure
from service.observability.logging import redact_http_client_logs
from service.refdata.loaders import load_gazetteer
from service.settings import get_settings
from service.store.db import read_session, transaction
from service.timestamps import utcnow

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60.0


def run_sync(engine: Engine, sources: Sequence[SourceConfig], *, max_shrink_ratio: float,
             timeout: float = TIMEOUT_SECONDS) -> list[SyncResult]:
    redact_http_client_logs()  # httpx logs every request's URL: never with its credentials
    results = []
    with tempfile.TemporaryDirectory(prefix="flrisk-sync-") as tmp, \
            httpx.Client(timeout=timeout, follow_redirects=True) as client:
        for cfg in sources:
            results.append(sync_source(engine, client, cfg, Path(tmp) / cfg.name, max_shrink_ratio=max_shrink_ratio))
    return results


def sync_source(engine: Engine, client: httpx.Client, cfg: SourceConfig, tmp: Path, *,
                max_shrink_ratio: float) -> SyncResult:
    at = utcnow()
    try:
        with read_session(engine) as session:
            known = known_validators(session, cfg.name)
        prepared = prepare(client, cfg, known, tmp, load_gazetteer().mentions_xinjiang)
        with transaction(engine) as session:
            result = apply(session, cfg, prepared, at=at, max_shrink_ratio=max_shrink_ratio)
    except Exception as exc:  # any failure keeps the active version and is recorded on the source
        with transaction(engine) as session:
            result = record_failure(session, cfg.name, exc, at=at)
        log.warning("list sync: %s", result.message, extra={"source": cfg.name, "sync_status": result.status})
        return result
    log.info("list sync: %s", result.message, extra={"source": cfg.name, "sync_status": result.status,
                                                    "version_id": result.version_id})
    return result


def run_configured(engine: Engine) -> list[SyncResult]:
    """The periodic task: every source of the configuration (FLRISK_SOURCES_FILE, else the built-in one)."""
    settings = get_settings()
    sources = configuration(settings.sources_file).select([])
    results = run_sync(engine, sources, max_shrink_ratio=settings.max_shrink_ratio)
    failed = [r.source for r in results if not r.ok]
    log.info("list sync done: %d sources, %d failed%s", len(results), len(failed),
             f" ({', '.join(failed)})" if failed else "")
    return results
