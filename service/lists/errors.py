"""Errors raised while reading or loading a source list."""

from __future__ import annotations


class ListLoadError(Exception):
    """A list file or update was refused; nothing was written."""


class ListFormatError(ListLoadError):
    """A list file could not be parsed. Names the file, line and column so the user can fix it."""

    def __init__(self, file: str, message: str, *, line: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        where = file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
