"""Printable evidence reports (HTML) of a screening or a batch, for the API and the console."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from service.reports import render_batch, render_screening
from service.services.batch_rows import finding_dict
from service.store import batches_repo
from service.store.tables import BatchRow

MAX_BATCH_ROWS = 2000  # the highest-risk non-clear rows shown; the full set is in the results download


def screening_report(result: dict[str, Any]) -> str:
    """A stored screening result (or a batch row's) as its report."""
    return render_screening(result)


def batch_report(session: Session, batch: BatchRow) -> str:
    """Counts by verdict, sectors, and the rows that were not clear as screened, highest risk first (at most
    MAX_BATCH_ROWS), after decisions."""
    total, rows = batches_repo.findings_page(session, batch.id, verdict=None, limit=MAX_BATCH_ROWS, offset=0)
    findings = [finding_dict(batch.id, r) for r in rows]
    return render_batch(batch.model_dump(), findings, findings_total=total)
