"""Responses shared by the API and the console: the results download and the evidence reports."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Response
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.engine import Engine

from service.errors import PdfUnavailableError
from service.reports import PdfUnavailable, html_to_pdf
from service.reports.fonts import INSTALL_HINT, cjk_font_available, has_cjk
from service.services.batches import MEDIA, results_file, results_filename
from service.store.db import read_session
from service.store.tables import BatchRow


def results_response(engine: Engine, batch: BatchRow, format: str, verdicts: set[str] | None) -> StreamingResponse:
    def body() -> Iterator[bytes]:
        with read_session(engine) as session:  # its own session: the stream outlives the request's
            yield from results_file(session, batch, format, verdicts)

    headers = {"Content-Disposition": f'attachment; filename="{results_filename(batch, format)}"'}
    return StreamingResponse(body(), media_type=MEDIA[format], headers=headers)


def report_response(html: str, format: str, stem: str) -> Response:
    """The report as HTML, or as PDF where WeasyPrint is installed (PdfUnavailableError otherwise)."""
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
