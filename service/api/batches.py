"""Supplier-list uploads screened as background jobs, and their results as CSV, XLSX or JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from service.api.auth import AUTH_RESPONSES, ReadKey, ScreenKey
from service.api.deps import EngineDep, Offset, SessionDep, SettingsDep
from service.api.errors import ApiError, NotFoundError, UnprocessableError
from service.api.links import location_doc, set_location
from service.api.schemas_batches import BatchesPage, BatchPublic, FindingPublic, FindingsPage
from service.api.text import DateTimeText
from service.batches.writing import csv_stream, json_stream, xlsx_bytes_stream
from service.services.batch_rows import finding_dict
from service.services.batches import Upload, create_batch, result_rows
from service.store import batches_repo
from service.store.tables import BatchRow

router = APIRouter(prefix="/v1/batches", tags=["batches"], responses=AUTH_RESPONSES)
VERDICTS = Literal["presumption", "review", "elevated", "clear"]
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


UPLOAD_EXAMPLE = ("Vendor ID,Vendor Name,Address,Country\r\n"
                  "V-1042,Hoshine Silicon Industry (Shanshan) Co Ltd,Shanshan County Turpan,CN\r\n"
                  "V-1043,Example Trading GmbH,Hamburg,DE\r\n")


class PayloadTooLargeError(ApiError):
    status, slug, title = 413, "payload-too-large", "Upload too large"


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
    created = await run_in_threadpool(create_batch, engine, upload, request.app.state.jobs,
                                      chunk_rows=settings.batch_chunk_rows)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    set_location(response, f"/v1/batches/{created.batch.id}")
    with Session(engine) as session:
        return _public(created.batch, positions(request, session, [created.batch]))


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
    queue = positions(request, session, rows)
    return BatchesPage(data=[_public(b, queue) for b in rows], count=total, limit=limit, offset=offset)


@router.get("/{batch_id}", summary="Batch status, progress, counts by verdict and queue position",
            response_model=BatchPublic, responses=NotFoundError.response_doc())
def status(batch_id: str, request: Request, principal: ReadKey, session: SessionDep) -> BatchPublic:
    batch = _batch(session, batch_id, principal.org_id)
    return _public(batch, positions(request, session, [batch]))


@router.get("/{batch_id}/results", summary="Every input row with its result, streamed",
            responses={200: {"content": {m: {} for m in MEDIA.values()}}, **NotFoundError.response_doc()})
def results(
    batch_id: str,
    principal: ReadKey,
    engine: EngineDep,
    format: Annotated[Literal["csv", "xlsx", "json"], Query(description="Output format.")] = "csv",
    verdict: Annotated[list[VERDICTS] | None, Query(description="Only rows with these verdicts.")] = None,
) -> StreamingResponse:
    """The original columns and headers, plus the row's spreadsheet number, verdict and risk score (after analyst
    decisions, next to the ones as screened and the deciding decisions), a one-line reason, top match, Xinjiang
    place, sector, and the row's screening id with the paths of its evidence and report. CSV is UTF-8 with a
    BOM so Excel shows Chinese text, and any cell that would start a formula (`=`, `+`, `-`, `@`, tab, CR) gets
    a leading `'`; XLSX has a frozen header, filters and rows coloured by verdict; JSON has `row` (the
    spreadsheet number) and `cells` (header -> cell) per row."""
    with Session(engine) as session:
        batch = _batch(session, batch_id, principal.org_id)
    wanted = set(verdict) if verdict else None

    def body() -> Iterator[bytes]:
        with Session(engine) as session:  # its own session: the stream outlives the request handler
            rows = result_rows(session, batch_id, wanted)
            writer = {"csv": csv_stream, "json": json_stream, "xlsx": xlsx_bytes_stream}[format]
            yield from writer(batch.headers, rows)

    stem = (batch.filename or "batch").rsplit(".", 1)[0]
    headers = {"Content-Disposition": f'attachment; filename="{_ascii(stem)}-flrisk.{format}"'}
    return StreamingResponse(body(), media_type=MEDIA[format], headers=headers)


@router.get("/{batch_id}/findings", summary="Rows that were not clear as screened, with evidence, highest risk first",
            response_model=FindingsPage, responses=NotFoundError.response_doc())
def findings(
    batch_id: str,
    principal: ReadKey,
    session: SessionDep,
    verdict: Annotated[VERDICTS | None, Query(description="Only rows with this verdict after decisions.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> FindingsPage:
    """A row an analyst cleared stays here, with `verdict` after the decision next to `original_verdict`."""
    _batch(session, batch_id, principal.org_id)
    total, rows = batches_repo.findings_page(session, batch_id, verdict=verdict, limit=limit, offset=offset)
    return FindingsPage(data=[FindingPublic.model_validate(finding_dict(batch_id, r)) for r in rows], count=total,
                        limit=limit, offset=offset)


def _batch(session: Session, batch_id: str, org_id: str) -> BatchRow:
    batch = batches_repo.get(session, batch_id)
    if batch is None or batch.org_id != org_id:  # another organisation's batch is "not found"
        raise NotFoundError(f"no batch {batch_id!r}")
    return batch


def positions(request: Request, session: Session, batches: list[BatchRow]) -> dict[str, int]:
    """Queue positions of the unfinished ones among `batches`, from the process's job queue."""
    waiting = [b.id for b in batches if b.status in ("queued", "running")]
    return request.app.state.jobs.queue_positions(session, waiting) if waiting else {}


def _public(batch: BatchRow, queue: dict[str, int]) -> BatchPublic:
    return BatchPublic.model_validate({**batch.model_dump(), "original_counts": batch.original_counts or {},
                                       "queue_position": queue.get(batch.id)})


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in text) or "batch"
