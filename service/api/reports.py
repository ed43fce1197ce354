"""Printable evidence reports for a screening or a batch: HTML, or PDF where WeasyPrint is installed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse

from service.api.auth import AUTH_RESPONSES, ReadKey
from service.api.deps import SessionDep
from service.api.owned import OwnBatch, OwnResult
from service.api.responses import report_response
from service.errors import NotFoundError, PdfUnavailableError
from service.services.reports import batch_report as render_batch_report
from service.services.reports import screening_report as render_screening_report

router = APIRouter(prefix="/v1", tags=["reports"], responses=AUTH_RESPONSES)
ReportFormat = Annotated[Literal["html", "pdf"], Query(description="`html` (default) or `pdf`.")]
DOCS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report.", "content": {"text/html": {}, "application/pdf": {}}},
    **NotFoundError.response_doc(), **PdfUnavailableError.response_doc(),
}


@router.get("/screenings/{screening_id}/report", summary="A screening's evidence report for a customs broker",
            response_class=HTMLResponse, responses=DOCS)
def screening_report(principal: ReadKey, result: OwnResult, format: ReportFormat = "html") -> Response:
    """Verdict, risk score, every evidence item with its consequence, citation and listing date, matched names
    with their differences highlighted, Xinjiang place, sector exposure and share figures with sources, the
    rebuttal checklist with tick boxes, and the list versions checked. Self-contained and print-ready."""
    return report_response(render_screening_report(result), format, f"flrisk-screening-{result['id']}")


@router.get("/batches/{batch_id}/report", summary="A batch's summary report: verdicts, sectors, non-clear rows",
            response_class=HTMLResponse, responses=DOCS)
def batch_report(principal: ReadKey, batch: OwnBatch, session: SessionDep, format: ReportFormat = "html") -> Response:
    """Counts and a chart by verdict, a chart of the high-priority sectors among non-clear rows, and the
    non-clear rows (highest risk first, at most 2,000) with their top match and Xinjiang place."""
    return report_response(render_batch_report(session, batch), format, f"flrisk-batch-{batch.id}")
