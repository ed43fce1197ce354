"""Supplier-list uploads screened as background jobs, and their results as CSV, XLSX or JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine

from service.api.auth import AUTH_RESPONSES, ReadKey, ScreenKey
from service.api.deps import EngineDep, Offset, SessionDep, SettingsDep
from service.api.links import location_doc, set_location
from service.api.owned import OwnBatch
from service.api.responses import results_response
from service.contracts.batches import BatchesPage, BatchPublic, FindingPublic, FindingsPage
from service.contracts.text import DateTimeText
from service.errors import NotFoundError, PayloadTooLargeError, UnprocessableError
from service.screening.vocabulary import Verdict
from service.services.batch_rows import finding_dict
from service.services.batches import MEDIA, Created, Upload, create_batch, queue_positions
from service.services.queue import JobQueue
from service.store import batches_repo
from service.store.db import read_session, transaction
from service.store.tables import BatchRow

router = APIRouter(prefix="/v1/batches", tags=["batches"], responses=AUTH_RESPONSES)


UPLOAD_EXAMPLE = ("Vendor ID,Vendor Name,Address,Country\r\n"
                  "V-1042,Hoshine Silicon Industry (Shanshan) Co Ltd,Shanshan County Turpan,CN\r\n"
                  "V-1043,Example Trading GmbH,Hamburg,DE\r\n")


@router.post("", status_code=202, summary="Upload a supplier list (CSV or XLSX) to screen as a job",
             response_model=BatchPublic, responses={**location_doc(202), **UnprocessableError.response_doc(),
                                                    **PayloadTooLargeError.response_doc()})
async def create(
    request: Request,
    principal: ScreenKey,
    engine: EngineDep,
    settings: SettingsDep,
    response: Response,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16) or XLSX.",
                                     examples=[UPLOAD_EXAMPLE])],
    mapping: Annotated[str | None, Form(description='JSON object field -> header, e.g. {"name": "Vendor Name"}; '
                                                    "auto-detected (English and Chinese headers) when absent.")] = None,
    encoding: Annotated[str | None, Form(max_length=40, description="Force a CSV encoding, e.g. gbk.")] = None,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)] = None,
) -> BatchPublic:
    """The whole file is checked before anything is queued: a missing name column, an over-long name, an
    invalid HS code, binary garbage or a zip bomb is refused with the row and column, and nothing is stored."""
    limit = settings.max_upload_bytes
    if int(request.headers.get("content-length") or 0) > limit + 64 * 1024:
        raise PayloadTooLargeError(f"upload larger than the limit of {limit} bytes")
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLargeError(f"file larger than the limit of {limit} bytes")
    upload = Upload(data=data, filename=file.filename, mapping_json=mapping, encoding=encoding,
                    idempotency_key=idempotency_key, org_id=principal.org_id, actor=principal.actor)
    created, queue = await run_in_threadpool(_create, engine, upload, request.app.state.jobs,
                                             settings.batch_chunk_rows)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    set_location(response, f"/v1/batches/{created.batch.id}")
    return _public(created.batch, queue)


def _create(engine: Engine, upload: Upload, jobs: JobQueue, chunk_rows: int) -> tuple[Created, dict[str, int]]:
    """The batch stored and its chunks queued in the request's own transaction, then its place in the queue
    (read after the commit: the in-process runner queues a batch's chunks once it is committed)."""
    with transaction(engine) as session:
        created = create_batch(session, upload, jobs, chunk_rows=chunk_rows)
    with read_session(engine) as session:
        return created, queue_positions(jobs, session, [created.batch])


@router.get("", summary="The organisation's batches, newest first", response_model=BatchesPage)
def list_batches(
    request: Request,
    principal: ReadKey,
    session: SessionDep,
    status: Annotated[Literal["queued", "running", "done", "failed"] | None, Query()] = None,
    since: Annotated[DateTimeText | None, Query(description="Only batches uploaded at or after this time.")] = None,
    until: Annotated[DateTimeText | None, Query(description="Only batches uploaded before this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> BatchesPage:
    total, rows = batches_repo.search(session, principal.org_id, status=status, since=since, until=until,
                                      limit=limit, offset=offset)
    queue = queue_positions(request.app.state.jobs, session, rows)
    return BatchesPage(data=[_public(b, queue) for b in rows], count=total, limit=limit, offset=offset)


@router.get("/{batch_id}", summary="Batch status, progress, counts by verdict and queue position",
            response_model=BatchPublic, responses=NotFoundError.response_doc())
def status(request: Request, principal: ReadKey, batch: OwnBatch, session: SessionDep) -> BatchPublic:
    return _public(batch, queue_positions(request.app.state.jobs, session, [batch]))


@router.get("/{batch_id}/results", summary="Every input row with its result, streamed",
            responses={200: {"content": {m: {} for m in MEDIA.values()}}, **NotFoundError.response_doc()})
def results(
    principal: ReadKey,
    batch: OwnBatch,
    engine: EngineDep,
    format: Annotated[Literal["csv", "xlsx", "json"], Query(description="Output format.")] = "csv",
    verdict: Annotated[list[Verdict] | None, Query(description="Only rows with these verdicts.")] = None,
) -> StreamingResponse:
    """The original columns and headers, plus the row's spreadsheet number, verdict and risk score (after analyst
    decisions, next to the ones as screened and the deciding decisions), a one-line reason, top match, Xinjiang
    place, sector, and the row's screening id with the paths of its evidence and report. CSV is UTF-8 with a
    BOM so Excel shows Chinese text, and any cell that would start a formula (`=`, `+`, `-`, `@`, tab, CR) gets
    a leading `'`; XLSX has a frozen header, filters and rows coloured by verdict; JSON has `row` (the
    spreadsheet number) and `cells` (header -> cell) per row."""
    return results_response(engine, batch, format, set(verdict) if verdict else None)


@router.get("/{batch_id}/findings", summary="Rows that were not clear as screened, with evidence, highest risk first",
            response_model=FindingsPage, responses=NotFoundError.response_doc())
def findings(
    principal: ReadKey,
    batch: OwnBatch,
    session: SessionDep,
    verdict: Annotated[Verdict | None, Query(description="Only rows with this verdict after decisions.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> FindingsPage:
    """A row an analyst cleared stays here, with `verdict` after the decision next to `original_verdict`."""
    total, rows = batches_repo.findings_page(session, batch.id, verdict=verdict, limit=limit, offset=offset)
    return FindingsPage(data=[FindingPublic.model_validate(finding_dict(batch.id, r)) for r in rows], count=total,
                        limit=limit, offset=offset)



def _public(batch: BatchRow, queue: dict[str, int]) -> BatchPublic:
    used = batch.lists_used or {}
    return BatchPublic.model_validate({**batch.model_dump(), "original_counts": batch.original_counts or {},
                                       "queue_position": queue.get(batch.id), "lists": used.get("lists") or [],
                                       "warnings": used.get("warnings") or []})
