"""Printable evidence reports (HTML) of a screening or a batch, for the API and the console."""

from __future__ import annotations

from sqlmodel import Session

from service.reports import render_batch, render_screening
from service.store import batches_repo
from service.store.tables import BatchRow, ScreeningRow

MAX_BATCH_ROWS = 2000  # the highest-risk non-clear rows shown; the full set is in the results download


def screening_report(row: ScreeningRow) -> str:
    return render_screening(row.result)


def batch_report(session: Session, batch: BatchRow) -> str:
    """Counts by verdict, sectors, and the non-clear rows, highest risk first (at most MAX_BATCH_ROWS)."""
    rows = batches_repo.findings(session, batch.id, verdict=None, limit=MAX_BATCH_ROWS, offset=0)
    findings = [{"row_index": r.row_index, "name": r.name, "verdict": r.verdict, "risk_score": r.risk_score,
                 "result": r.result} for r in rows]
    total = sum(n for v, n in (batch.counts or {}).items() if v != "clear")
    return render_batch(batch.model_dump(), findings, findings_total=max(total, len(findings)))
