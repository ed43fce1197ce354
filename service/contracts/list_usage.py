"""What every screening result says about the lists it was screened against (`lists` and `warnings`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ListUsage(BaseModel):
    """One list version a result was screened against, with how complete and current it was at that time."""

    source: str = Field(description="The list's source key.", examples=["uflpa_entity_list"])
    version: int = Field(description="The list version's id (`GET /v1/lists/{source}/versions`); versions never "
                                     "change once loaded.", examples=[1])
    entry_count: int = Field(description="Entries loaded in this version.", examples=[149])
    snapshot_date: str | None = Field(description="The date of the data this version carries (ISO date, or "
                                                  "year-month).", examples=["2026-06-26"])
    last_checked_at: datetime = Field(description=(
        "When the source was last checked successfully against its official publication, as of the screening; "
        "for a source never checked (the shipped snapshot, a load from a file), its snapshot date."),
        examples=["2026-06-26T00:00:00Z"])
    stale: bool = Field(description="True when, at the screening, the last successful check was older than the "
                                    "source's maximum age (`max_age_days`, default 7): entries added since are "
                                    "not screened.", examples=[False])
    coverage_note: str | None = Field(description="What this version covers, in words (what is and is not in it).",
                                      examples=["PARTIAL: 149 of the 187 entities on the UFLPA Entity List after "
                                                "the additions effective 2026-08-03."])


LISTS_DESCRIPTION = ("The list versions this result was screened against, each with its entry count, snapshot date, "
                     "last successful check and whether it was stale at the screening.")
LIST_WARNINGS_DESCRIPTION = (
    "Plain sentences on what limits this result: a list used that was stale or is known to be partial (always "
    "given then), a value the screening could not use (an unrecognised country in a batch row), a role it assumed.")
LIST_WARNINGS_EXAMPLE = ["UFLPA Entity List: 149 entities loaded; the official list had 187 after 2026-08-03."]
