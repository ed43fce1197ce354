"""Batches: the list of uploads, a live progress page, and the downloads (results and evidence report)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import Response

from service.api.deps import EngineDep, SessionDep
from service.api.responses import report_response, results_response
from service.errors import NotFoundError, ServiceError
from service.screening.vocabulary import VERDICTS
from service.services.batches import queue_positions
from service.services.reports import batch_report
from service.store import batches_repo
from service.store.tables import BatchRow
from service.timestamps import as_utc
from service.ui.render import not_found, page
from service.ui.session import PREFIX, ReadUser

router = APIRouter(prefix=PREFIX, include_in_schema=False)
POLL_MS = 1500


def progress(batch: BatchRow, now: datetime | None = None) -> dict[str, Any]:
    """Percent done, elapsed time and an ETA from the rate so far (None until rows are done)."""
    now = now or datetime.now(UTC)
    started = batch.started_at and as_utc(batch.started_at)
    finished = batch.finished_at and as_utc(batch.finished_at)
    elapsed = ((finished or now) - started).total_seconds() if started else None
    eta = None
    if batch.status == "running" and elapsed and batch.rows_done:
        eta = (batch.rows_total - batch.rows_done) / (batch.rows_done / elapsed)
    percent = 100 * batch.rows_done / batch.rows_total if batch.rows_total else 100.0
    counts = {v: int((batch.counts or {}).get(v, 0)) for v in VERDICTS}
    return {"percent": percent, "elapsed": elapsed, "eta": eta, "counts": counts,
            "non_clear": sum(n for v, n in counts.items() if v != "clear"),
            "live": batch.status in ("queued", "running")}


@router.get("/batches")
def batch_list(request: Request, user: ReadUser, session: SessionDep) -> Response:
    rows = [(b, progress(b)) for b in batches_repo.recent(session, user.principal.org_id)]
    return page(request, "batches.html", {"rows": rows}, user=user)


@router.get("/batches/{batch_id}")
def batch_page(request: Request, batch_id: str, user: ReadUser, session: SessionDep) -> Response:
    batch = batches_repo.get(session, user.principal.org_id, batch_id)
    if batch is None:
        return not_found(request, user, f"There is no batch {batch_id} in your organisation.")
    return page(request, "batch.html", {"b": batch, "p": progress(batch), "poll_ms": POLL_MS,
                                        "queue": _queue(request, session, batch)}, user=user)


@router.get("/batches/{batch_id}/progress")
def batch_progress(request: Request, batch_id: str, user: ReadUser, session: SessionDep) -> Response:
    """The live part of the batch page, polled by console.js while the batch is queued or running."""
    batch = batches_repo.get(session, user.principal.org_id, batch_id)
    if batch is None:
        return not_found(request, user, f"There is no batch {batch_id} in your organisation.")
    return page(request, "_progress.html", {"b": batch, "p": progress(batch), "queue": _queue(request, session, batch)},
                user=user)


@router.get("/batches/{batch_id}/results.{fmt}")
def download(request: Request, batch_id: str, fmt: Literal["xlsx", "csv"], user: ReadUser, session: SessionDep,
             engine: EngineDep) -> Response:
    """Every row with its result, exactly as GET /v1/batches/{id}/results serves it."""
    batch = batches_repo.get(session, user.principal.org_id, batch_id)
    if batch is None:
        return _error(request, user, NotFoundError(f"no batch {batch_id!r}"))
    return results_response(engine, batch, fmt, None)


@router.get("/batches/{batch_id}/report")
def report(request: Request, batch_id: str, user: ReadUser, session: SessionDep,
           format: Literal["html", "pdf"] = "html") -> Response:
    """The batch evidence report, exactly as GET /v1/batches/{id}/report serves it."""
    batch = batches_repo.get(session, user.principal.org_id, batch_id)
    try:
        if batch is None:
            raise NotFoundError(f"no batch {batch_id!r}")
        return report_response(batch_report(session, batch), format, f"flrisk-batch-{batch.id}")
    except ServiceError as exc:
        return _error(request, user, exc)


def _queue(request: Request, session: Session, batch: BatchRow) -> int | None:
    return queue_positions(request.app.state.jobs, session, [batch]).get(batch.id)


def _error(request: Request, user: ReadUser, exc: ServiceError) -> Response:
    return page(request, "error.html", {"title": exc.title, "message": exc.detail}, user=user, status=exc.status)
