"""Validation of free-text party fields, shared by the match and screening models."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from service.screening.cleaning import display_order
from service.store.tables import as_utc

MAX_NAME_CHARS = 1000


def clean_text(value: str) -> str:
    """Drop format characters (zero-width joiners, BOMs), refuse control characters, trim. Text under a
    right-to-left override is first put in the order it is displayed, so the name kept is the name a person reads."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise ValueError("contains control characters")
    cleaned = "".join(ch for ch in display_order(value)[0] if unicodedata.category(ch) != "Cf")
    return " ".join(cleaned.split())


def clean_name(value: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise ValueError("must not be empty")
    if not any(ch.isalnum() for ch in cleaned):
        raise ValueError("must contain at least one letter or digit")
    return cleaned


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS), AfterValidator(clean_name)]
OptionalText = Annotated[str | None, Field(default=None, max_length=2000),
                         AfterValidator(lambda v: clean_text(v) or None if v is not None else None)]
def _date_time_text(value: object) -> object:
    """Pydantic reads a number, or a string holding one, as a Unix time; the schema says an RFC 3339 string."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("must be an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A date-time in a body or query: the documented string form only (no Unix times); without an offset it
# is taken as UTC, and it is handled (and echoed) in UTC.
DateTimeText = Annotated[datetime, BeforeValidator(_date_time_text), AfterValidator(as_utc)]

Country = Annotated[str | None, Field(default=None, max_length=64, description="ISO-3166 alpha-2 code or name.",
                                      examples=["CN"]),
                    AfterValidator(lambda v: clean_text(v) or None if v is not None else None)]
