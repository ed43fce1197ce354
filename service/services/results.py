"""Stored results by id, as `GET /v1/screenings/{id}` and its report read them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from service.services.batch_rows import row_result
from service.store import screenings_repo


def stored_result(session: Session, org_id: str, screening_id: str) -> dict[str, Any] | None:
    """A screening's stored result, or a batch row's (`<batch id>-r<row>`); None when the organisation has
    neither (another organisation's id is not found either)."""
    found = row_result(session, org_id, screening_id)
    if found is not None:
        return found
    row = screenings_repo.get(session, org_id, screening_id)
    return row.result if row is not None else None
