"""Column types shared by every table module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from service.timestamps import as_utc, utcnow


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always UTC and timezone-aware in Python, on every database.

    SQLite keeps no offset (it stores the wall-clock text and drops the tzinfo), so without this an
    aware value in another offset would be stored shifted, and every value would read back naive and
    be serialised without an offset, which is not an RFC 3339 `date-time`. Naive values are taken
    as UTC. On PostgreSQL the column is `timestamptz`, as before: the migrations are unchanged.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def created_now(**kw: Any) -> Any:
    """A non-null UTC timestamp column that defaults to the time the row is made."""
    return Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False, **kw))
