"""Validation of free-text party fields, shared by the match and screening models."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_NAME_CHARS = 1000


def clean_text(value: str) -> str:
    """Drop format characters (zero-width joiners, BOMs), refuse control characters, trim."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value):
        raise ValueError("contains control characters")
    cleaned = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
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
Country = Annotated[str | None, Field(default=None, max_length=64, description="ISO-3166 alpha-2 code or name.",
                                      examples=["CN"]),
                    AfterValidator(lambda v: clean_text(v) or None if v is not None else None)]
