"""Printable evidence reports for a screening or a batch: HTML, or PDF where WeasyPrint is installed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse

from service.api.auth import AUTH_RESPONSES, ReadKey
from service.api.deps import SessionDep
from service.api.errors import ApiError, NotFoundError
from service.api.screenings import stored_result
from service.reports import PdfUnavailable, html_to_pdf, render_batch, render_screening
from service.reports.fonts import INSTALL_HINT, cjk_font_available, has_cjk
from service.services.batch_rows import finding_dict
from service.store import batches_repo

router = APIRouter(prefix="/v1", tags=["reports"], responses=AUTH_RESPONSES)
MAX_BATCH_ROWS = 2000  # the highest-risk non-clear rows shown; the full set is in /results
ReportFormat = Annotated[Literal["html", "pdf"], Query(description="`html` (default) or `pdf`.")]


class PdfUnavailableError(ApiError):
    status, slug, title = 406, "pdf-unavailable", "PDF output unavailable"


DOCS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report.", "content": {"text/html": {}, "application/pdf": {}}},
    **NotFoundError.response_doc(), **PdfUnavailableError.response_doc(),
}


def _respond(html: str, format: str, stem: str) -> Response:
    if format == "html":
        return HTMLResponse(html)
    if has_cjk(html) and not cjk_font_available():  # WeasyPrint would print every 汉字 as an empty box
        raise PdfUnavailableError(f"this report holds Chinese text and no CJK font is installed, so the PDF would "
                                  f"show empty boxes; {INSTALL_HINT}, or request the HTML report instead")
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as exc:
        raise PdfUnavailableError(f"{exc}; request the HTML report instead") from exc
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'})


@router.get("/screenings/{screening_id}/report", summary="A screening's evidence report for a customs broker",
            response_class=HTMLResponse, responses=DOCS)
def screening_report(screening_id: str, principal: ReadKey, session: SessionDep,
                           format: ReportFormat = "html") -> Response:
    """Verdict, risk score, every evidence item with its consequence, citation and listing date, matched names
    with their differences highlighted, Xinjiang place, sector exposure and share figures with sources, the
    rebuttal checklist with tick boxes, and the list versions checked. Self-contained and print-ready."""
    result = stored_result(session, screening_id, principal.org_id)
    return _respond(render_screening(result), format, f"flrisk-screening-{screening_id}")


@router.get("/batches/{batch_id}/report", summary="A batch's summary report: verdicts, sectors, non-clear rows",
            response_class=HTMLResponse, responses=DOCS)
def batch_report(batch_id: str, principal: ReadKey, session: SessionDep,
                       format: ReportFormat = "html") -> Response:
    """Counts and a chart by verdict, a chart of the high-priority sectors among non-clear rows, and the
    non-clear rows (highest risk first, at most 2,000) with their top match and Xinjiang place."""
    batch = batches_repo.get(session, batch_id)
    if batch is None or batch.org_id != principal.org_id:
        raise NotFoundError(f"no batch {batch_id!r}")
    total, rows = batches_repo.findings_page(session, batch_id, verdict=None, limit=MAX_BATCH_ROWS, offset=0)
    findings = [finding_dict(batch_id, r) for r in rows]
    html = render_batch(batch.model_dump(), findings, findings_total=total)
    return _respond(html, format, f"flrisk-batch-{batch.id}")
