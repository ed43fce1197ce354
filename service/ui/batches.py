"""Batches: the list of uploads, a live progress page, and the downloads (results and evidence report)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import Response

from service.api import batches as batches_api
from service.api import reports as reports_api
from service.api.deps import EngineDep, SessionDep
from service.api.errors import ApiError
from service.store.tables import BatchRow, as_utc
from service.ui.queries import own_batch, recent_batches
from service.ui.render import VERDICTS, not_found, page
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
    rows = [(b, progress(b)) for b in recent_batches(session, user.principal.org_id)]
    return page(request, "batches.html", {"rows": rows}, user=user)


@router.get("/batches/{batch_id}")
def batch_page(request: Request, batch_id: str, user: ReadUser, session: SessionDep) -> Response:
    batch = own_batch(session, batch_id, user.principal.org_id)
    if batch is None:
        return not_found(request, user, f"There is no batch {batch_id} in your organisation.")
    return page(request, "batch.html", {"b": batch, "p": progress(batch), "poll_ms": POLL_MS,
                                        "queue": batches_api.positions(request, session, [batch]).get(batch.id)},
                user=user)


@router.get("/batches/{batch_id}/progress")
def batch_progress(request: Request, batch_id: str, user: ReadUser, session: SessionDep) -> Response:
    """The live part of the batch page, polled by console.js while the batch is queued or running."""
    batch = own_batch(session, batch_id, user.principal.org_id)
    if batch is None:
        return not_found(request, user, f"There is no batch {batch_id} in your organisation.")
    return page(request, "_progress.html", {"b": batch, "p": progress(batch),
                                            "queue": batches_api.positions(request, session, [batch]).get(batch.id)},
                user=user)


@router.get("/batches/{batch_id}/results.{fmt}")
def download(request: Request, batch_id: str, fmt: Literal["xlsx", "csv"], user: ReadUser,
             engine: EngineDep) -> Response:
    """Every row with its result, exactly as GET /v1/batches/{id}/results serves it."""
    try:
        return batches_api.results(batch_id, user.principal, engine, format=fmt, verdict=None)
    except ApiError as exc:
        return _error(request, user, exc)


@router.get("/batches/{batch_id}/report")
def report(request: Request, batch_id: str, user: ReadUser, engine: EngineDep,
           format: Literal["html", "pdf"] = "html") -> Response:
    """The batch evidence report, exactly as GET /v1/batches/{id}/report serves it."""
    try:
        with Session(engine) as session:
            return reports_api.batch_report(batch_id, user.principal, session, format=format)
    except ApiError as exc:
        return _error(request, user, exc)


def _error(request: Request, user: ReadUser, exc: ApiError) -> Response:
    return page(request, "error.html", {"title": exc.title, "message": exc.detail}, user=user, status=exc.status)
