"""Validation of free-text party fields, shared by the match and screening models."""

from __future__ import annotations

import copy
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError
from pydantic_core import PydanticCustomError

from service import countries
from service.screening.cleaning import display_order
from service.timestamps import as_utc

M = TypeVar("M", bound=BaseModel)

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


def _date_text(value: object) -> object:
    if isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("must be an ISO 8601 date, e.g. 2026-08-03")
    return value


# A date in a query: the documented ISO string only (pydantic would read a number as a Unix time).
DateText = Annotated[date, BeforeValidator(_date_text)]
COUNTRY_ERROR = "country_unknown"  # the error type `without_unknown_countries` drops


def _country(value: str | None) -> str | None:
    try:
        return countries.to_alpha2(clean_text(value)) if value is not None else None
    except countries.UnknownCountry as exc:
        raise PydanticCustomError(COUNTRY_ERROR, "{reason}", {"reason": str(exc)}) from None


# A country as people write it, read as its ISO 3166 alpha-2 code (what the screening sees and what is
# stored); an unknown or ambiguous value is a 422 naming the field. Empty means none.
Country = Annotated[str | None, Field(
    default=None, max_length=64,
    description=f"The country: {countries.ACCEPTED}; read as its ISO alpha-2 code. Hong Kong (HK), Macao (MO) "
                "and Taiwan (TW) keep their own codes. An unknown value is refused (422).",
    examples=["CN", "CHN", "China", "中国"]), AfterValidator(_country)]


def without_unknown_countries(model: type[M], raw: Any, prefix: str = "") -> tuple[M, list[str]]:
    """Validate `raw`, screening without any country it does not recognise instead of refusing it.

    For rows and records read in bulk (batch uploads, `flrisk check`, stored requests): each dropped value
    becomes a warning naming its JSON pointer and the value. Any other invalid field still raises."""
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        unknown = [e for e in exc.errors() if e["type"] == COUNTRY_ERROR]
        if not unknown:
            raise
    raw = copy.deepcopy(raw)
    for error in unknown:
        _set(raw, error["loc"], None)
    warnings = [countries.dropped_warning(prefix + "".join(f"/{p}" for p in e["loc"]), str(e["input"]))
                for e in unknown]
    return model.model_validate(raw), warnings  # any other invalid field still raises


def _set(raw: Any, loc: tuple[int | str, ...], value: object) -> None:
    for part in loc[:-1]:
        raw = raw[part]
    raw[loc[-1]] = value
