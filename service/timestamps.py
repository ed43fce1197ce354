"""Timestamps are UTC and timezone-aware everywhere: in the database, the API and the domain."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is taken as UTC (SQLite and callers may hand one over)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
