"""Response models of the batch endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from service.contracts.list_usage import LIST_WARNINGS_EXAMPLE, LISTS_DESCRIPTION, ListUsage

Verdict = Literal["presumption", "review", "elevated", "clear"]


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
    counts: dict[str, int] = Field(description="Rows by verdict so far, after the analyst decisions recorded on "
                                               "the rows' matches.", examples=[{"clear": 950, "review": 50}])
    original_counts: dict[str, int] = Field(default_factory=dict, description="Rows by verdict as screened, "
                                            "before analyst decisions.", examples=[{"clear": 949, "review": 51}])
    queue_position: int | None = Field(default=None, description=(
        "While rows are waiting: how many chunks of rows (of any batch) are queued ahead of this batch's next "
        "chunk, plus one (1: it is next). Batches take turns chunk by chunk (and organisations, when several "
        "have work), so a small batch behind a large one waits for one turn, not for the large one to finish. "
        "None when no row of it is waiting."), examples=[1])
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    list_versions: dict[str, str] = Field(description="List versions the rows were screened against.")
    lists: list[ListUsage] = Field(default_factory=list, description=LISTS_DESCRIPTION + (
        " For a batch: every version any of its rows was screened against so far, stale if it was for any chunk "
        "(empty until the first chunk is done)."))
    warnings: list[str] = Field(default_factory=list, description=(
        "Plain sentences, non-empty whenever a list the rows were screened against was stale or is known to be "
        "partial (each row's result carries them too)."), examples=[LIST_WARNINGS_EXAMPLE])
    error: str | None = None


class BatchesPage(BaseModel):
    data: list[BatchPublic]
    count: int = Field(description="Batches matching the filters, across all pages.")
    limit: int
    offset: int


class FindingPublic(BaseModel):
    row: int = Field(description="The row a spreadsheet shows for it (header = row 1).", examples=[2])
    index: int = Field(description="0-based position among the file's data rows.", examples=[0])
    name: str
    verdict: Verdict = Field(description="After the analyst decisions recorded on the row's matches.")
    risk_score: int
    original_verdict: Verdict = Field(description="As screened, before analyst decisions (kept for audit).")
    original_risk_score: int
    decision_ids: list[str] = Field(description="Decisions in force on the row's matches.")
    changed_by: list[str] = Field(description="Those of them that took a match out of the verdict.")
    reason: str = Field(description="The verdict's reason in one line.", examples=[
        "UFLPA Entity List: Hoshine Silicon Industry (Shanshan) Co., Ltd, score 0.97; Xinjiang address: Shanshan "
        "County"])
    screening_id: str = Field(description="The row's result at `GET /v1/screenings/{screening_id}`.")
    evidence_url: str = Field(examples=["/v1/screenings/<batch id>-r2"])
    report_url: str = Field(examples=["/v1/screenings/<batch id>-r2/report"])
    result: dict[str, Any] = Field(description="Summary, evidence (with the decisions in force) and checklist ids.")


class FindingsPage(BaseModel):
    data: list[FindingPublic]
    count: int = Field(description="Rows matching the filter, across all pages.")
    limit: int
    offset: int
