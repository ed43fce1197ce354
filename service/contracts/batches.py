"""Response models of the batch endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class BatchPublic(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    filename: str | None
    format: str = Field(examples=["csv"])
    encoding: str | None = Field(description="The encoding the file was read with (detected or forced).",
                                 examples=["gb18030"])
    mapping: dict[str, str] = Field(description="Field -> column header used.",
                                    examples=[{"name": "Vendor Name", "chinese_name": "供应商名称"}])
    mapping_source: Literal["given", "auto"]
    rows_total: int
    rows_done: int
    counts: dict[str, int] = Field(description="Rows by verdict so far.", examples=[{"clear": 950, "review": 50}])
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    list_versions: dict[str, str] = Field(description="List versions the rows were screened against.")
    error: str | None = None


class FindingPublic(BaseModel):
    row_index: int = Field(description="0-based index of the data row in the file.")
    verdict: str
    risk_score: int
    name: str
    result: dict[str, Any] = Field(description="Summary, evidence and checklist ids for the row.")


class FindingsPage(BaseModel):
    data: list[FindingPublic]
    limit: int
    offset: int
