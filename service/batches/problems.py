"""Every row an upload cannot screen, in one pass: an empty, over-long or garbled name, an invalid HS code.

A file with several bad rows is refused once, listing each (up to `MAX_LISTED`) with its spreadsheet row,
column header and value, so the user fixes them all before uploading again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.batches.errors import UploadError
from service.batches.reading import Table

MAX_LISTED = 1000  # problems listed in one refusal (all are counted); the error sheet has them all
MAX_NAME_CHARS = 1000
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode Cc except tab, LF, CR


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet row (header = 1)
    index: int  # 0-based data row
    column: str  # header text
    value: str
    message: str


class UploadProblems(UploadError):
    """An upload refused for problems in its rows: `problems` lists the first MAX_LISTED of `total`."""

    def __init__(self, problems: list[RowProblem], total: int) -> None:
        first = problems[0]
        more = f"; {total - 1:,} more problem{'s' if total > 2 else ''} in the file" if total > 1 else ""
        super().__init__(f"{first.message} in row {first.row}{more}", row=first.row, column=first.column)
        self.problems, self.total = problems, total


def row_problems(table: Table, columns: dict[str, str], *, limit: int | None = MAX_LISTED
                 ) -> tuple[list[RowProblem], int]:
    """The problems of the rows (at most `limit` listed, in file order) and how many there are in all.

    A row with an empty name but a Chinese name (ERP rows often carry only the 汉字 name) is screened on that."""
    at = {field: table.headers.index(header) for field, header in columns.items()}
    hs = _hs_checker() if "hs_code" in at else None
    found: list[RowProblem] = []
    total = 0
    for index, (row, number) in enumerate(zip(table.rows, table.row_numbers, strict=True)):
        for field, value, message in _checks(row, at, hs):
            total += 1
            if limit is None or len(found) < limit:
                found.append(RowProblem(number, index, columns[field], value, message))
    return found, total


def _checks(row: list[str], at: dict[str, int], hs: _HsChecker | None) -> list[tuple[str, str, str]]:
    field = "name"
    name = row[at["name"]].strip()
    if not name and "chinese_name" in at and row[at["chinese_name"]].strip():
        field, name = "chinese_name", row[at["chinese_name"]].strip()
    problems = []
    problem = ("empty name" if not name
               else f"name longer than {MAX_NAME_CHARS} characters" if len(name) > MAX_NAME_CHARS
               else "control characters in the name" if _CONTROLS.search(name) else None)
    if problem:
        problems.append((field, name[:200], problem))
    code = row[at["hs_code"]].strip() if hs is not None else ""
    if hs is not None and code and (error := hs(code)):
        problems.append(("hs_code", code[:200], f"invalid HS code {code!r}: {error}"))
    return problems


class _HsChecker:
    def __init__(self) -> None:
        from service.refdata.loaders import load_hs

        self._hs = load_hs()

    def __call__(self, code: str) -> str | None:
        from service.screening.hs import HsCodeError

        try:
            self._hs.normalize(code)
        except HsCodeError as exc:
            return str(exc)
        return None


def _hs_checker() -> _HsChecker:
    return _HsChecker()
