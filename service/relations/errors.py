"""Errors raised while reading or loading relations; the same shape as the list errors (file, line, column)."""

from __future__ import annotations

from service.lists.errors import ListFormatError, ListLoadError


class RelationsLoadError(ListLoadError):
    """A relations file or update was refused; nothing was written."""


class RelationsFormatError(ListFormatError, RelationsLoadError):
    """A relations file could not be read; names the file, line and column."""
