"""The one error of the file layer: an upload refused before anything is queued."""

from __future__ import annotations

from typing import Literal

UploadField = Literal["file", "mapping", "encoding"]


class UploadError(Exception):
    """Why an upload was refused, pointing at the spot a spreadsheet user would look at.

    `row` is the file's own 1-based row (CSV record / sheet row, header = 1), `column` the header text,
    `field` the form field at fault: the file itself, the caller's `mapping` or its `encoding`.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 field: UploadField = "file") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.field = field

    def __str__(self) -> str:
        where = ", ".join(part for part in (
            f"row {self.row}" if self.row is not None else "",
            f"column {self.column!r}" if self.column is not None else "",
        ) if part)
        return f"{self.message} ({where})" if where else self.message

    def __repr__(self) -> str:
        return f"UploadError({self.message!r}, row={self.row!r}, column={self.column!r}, field={self.field!r})"
