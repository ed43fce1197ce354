"""Supplier-list uploads screened as background jobs, and their results as CSV, XLSX or JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from service.api.auth import AUTH_RESPONSES, ReadKey, ScreenKey
from service.api.deps import EngineDep, Offset, SessionDep, SettingsDep
from service.api.links import location_doc, set_location
from service.api.owned import OwnBatch
from service.api.responses import results_response
from service.contracts.batches import BatchPublic, FindingPublic, FindingsPage
from service.errors import NotFoundError, PayloadTooLargeError, UnprocessableError
from service.screening.vocabulary import Verdict
from service.services.batches import MEDIA, Upload, create_batch
from service.store import batches_repo
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
    session: SessionDep,
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
    created = await run_in_threadpool(create_batch, session, upload, request.app.state.jobs,
                                      chunk_rows=settings.batch_chunk_rows)
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    set_location(response, f"/v1/batches/{created.batch.id}")
    return _public(created.batch)


@router.get("/{batch_id}", summary="Batch status, progress and counts by verdict", response_model=BatchPublic,
            responses=NotFoundError.response_doc())
def status(principal: ReadKey, batch: OwnBatch) -> BatchPublic:
    return _public(batch)


@router.get("/{batch_id}/results", summary="Every input row with its result, streamed",
            responses={200: {"content": {m: {} for m in MEDIA.values()}}, **NotFoundError.response_doc()})
def results(
    principal: ReadKey,
    batch: OwnBatch,
    engine: EngineDep,
    format: Annotated[Literal["csv", "xlsx", "json"], Query(description="Output format.")] = "csv",
    verdict: Annotated[list[Verdict] | None, Query(description="Only rows with these verdicts.")] = None,
) -> StreamingResponse:
    """The original columns and headers, plus verdict, risk score, top match, Xinjiang place and sector.
    CSV is UTF-8 with a BOM so Excel shows Chinese text, and any cell that would start a formula (`=`, `+`,
    `-`, `@`, tab, CR) gets a leading `'`; XLSX has a frozen header, filters and rows coloured by verdict."""
    return results_response(engine, batch, format, set(verdict) if verdict else None)


@router.get("/{batch_id}/findings", summary="Non-clear rows with their evidence, highest risk first",
            response_model=FindingsPage, responses=NotFoundError.response_doc())
def findings(
    principal: ReadKey,
    batch: OwnBatch,
    session: SessionDep,
    verdict: Annotated[Verdict | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> FindingsPage:
    rows = batches_repo.findings(session, batch.id, verdict=verdict, limit=limit, offset=offset)
    return FindingsPage(data=[FindingPublic(row_index=r.row_index, verdict=r.verdict, risk_score=r.risk_score,
                                            name=r.name, result=r.result) for r in rows], limit=limit, offset=offset)


def _public(batch: BatchRow) -> BatchPublic:
    return BatchPublic.model_validate(batch, from_attributes=True)
