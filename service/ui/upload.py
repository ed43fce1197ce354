"""Upload page: pick or drop a CSV/XLSX file, check the detected encoding and column mapping, start the batch."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile
from starlette.responses import Response

from service.api.errors import ApiError
from service.services.batches import Upload, create_batch
from service.ui import preview
from service.ui.render import page
from service.ui.session import PREFIX, ScreenUser, check_csrf

router = APIRouter(prefix=PREFIX, include_in_schema=False)
FETCH_HEADER = "x-console-fetch"  # set by console.js: answer with a fragment instead of a whole page


def _context(request: Request) -> dict[str, object]:
    return {"limit": request.app.state.settings.max_upload_bytes, "encodings": preview.ENCODINGS}


@router.get("/upload")
def upload_page(request: Request, user: ScreenUser) -> Response:
    return page(request, "upload.html", _context(request), user=user)


async def _read_form(request: Request, user: ScreenUser) -> tuple[dict[str, str], UploadFile | None]:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, user, fields.get("csrf"))
    file = form.get("file")
    return fields, file if isinstance(file, UploadFile) and file.filename else None


async def _file_bytes(request: Request, file: UploadFile) -> bytes | preview.Problem:
    limit: int = request.app.state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    return preview.too_large(len(data), limit) if len(data) > limit else data


@router.post("/upload/preview")
async def upload_preview(request: Request, user: ScreenUser) -> Response:
    """The preview fragment: encoding, headers, proposed (or chosen) mapping, first rows, the first problem."""
    fields, file = await _read_form(request, user)
    if file is None:
        return page(request, "_problem.html", {"problem": preview.Problem("Choose a CSV or XLSX file first.")},
                    user=user, status=422)
    data = await _file_bytes(request, file)
    if isinstance(data, preview.Problem):
        return page(request, "_problem.html", {"problem": data}, user=user, status=422)
    chosen = preview.chosen_mapping(fields) or None
    result = await run_in_threadpool(preview.build, data, file.filename, encoding=fields.get("encoding") or None,
                                     chosen=chosen)
    return page(request, "_preview.html", {"p": result, "forced": fields.get("encoding") or "",
                                           **_context(request)}, user=user)


@router.post("/upload")
async def start(request: Request, user: ScreenUser) -> Response:
    """Create the batch with the same service as POST /v1/batches; on success go to its progress page."""
    fields, file = await _read_form(request, user)
    problem: preview.Problem | None = preview.Problem("Choose a CSV or XLSX file first.") if file is None else None
    if file is not None:
        data = await _file_bytes(request, file)
        if isinstance(data, preview.Problem):
            problem = data
        else:
            mapping = preview.mapping_json(preview.chosen_mapping(fields), fields.get("auto_mapping"))
            upload = Upload(data=data, filename=file.filename, encoding=fields.get("encoding") or None,
                            mapping_json=mapping,
                            idempotency_key=None, org_id=user.principal.org_id, actor=user.principal.actor)
            try:
                created = await run_in_threadpool(create_batch, request.app.state.engine, upload,
                                                  request.app.state.jobs,
                                                  chunk_rows=request.app.state.settings.batch_chunk_rows)
            except ApiError as exc:
                problem = preview.problem_of_api(exc)
            else:
                return RedirectResponse(f"{PREFIX}/batches/{created.batch.id}", status_code=303)
    if request.headers.get(FETCH_HEADER):
        return page(request, "_problem.html", {"problem": problem, "sheet": True}, user=user, status=422)
    return page(request, "upload.html", {"problem": problem, **_context(request)}, user=user, status=422)


@router.post("/upload/errors.{fmt}")
async def error_sheet(request: Request, fmt: Literal["csv", "xlsx"], user: ScreenUser) -> Response:
    """The rows of the chosen file that cannot be screened, with their row numbers and problems, to fix in Excel
    (the same form as the preview: file, encoding, column mapping)."""
    fields, file = await _read_form(request, user)
    data = await _file_bytes(request, file) if file is not None else preview.Problem("Choose a CSV or XLSX file first.")
    if isinstance(data, preview.Problem):
        return page(request, "_problem.html", {"problem": data}, user=user, status=422)
    sheet = await run_in_threadpool(preview.error_sheet, data, file.filename if file else None, fmt,
                                    encoding=fields.get("encoding") or None, chosen=preview.chosen_mapping(fields))
    if isinstance(sheet, preview.Problem):
        return page(request, "_problem.html", {"problem": sheet}, user=user, status=422)
    stem = (file.filename if file and file.filename else "upload").rsplit(".", 1)[0]
    name = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem) or "upload"
    media = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    return Response(sheet, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}-rows-to-fix.{fmt}"', "Cache-Control": "no-store"})
