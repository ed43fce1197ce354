"""Helpers shared by the upstream parsers: strict CSV records with their line, name splitting."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from service.lists.errors import ListFormatError


def csv_records(text: str, *, file: str) -> Iterator[tuple[int, list[str]]]:
    """Yield `(line, cells)` for each non-blank record; a cut-off quote or stray quote is refused."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if cells and any(c.strip() for c in cells):
                yield line, cells
    except csv.Error as exc:
        raise ListFormatError(
            file, f"malformed CSV record ({exc}); the file may be truncated mid-quote", line=start
        ) from exc


def check_width(cells: list[str], width: int, *, file: str, line: int) -> None:
    """Refuse a record with more or fewer cells than the layout has columns."""
    if len(cells) != width:
        raise ListFormatError(file, f"row has {len(cells)} cells, expected {width}", line=line)


def split_list(value: str, sep: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(sep) if part.strip())


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df]")


def split_han(names: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(other names, Han-script names), each de-duplicated in order."""
    unique = list(dict.fromkeys(n for n in names if n))
    return tuple(n for n in unique if not HAN.search(n)), tuple(n for n in unique if HAN.search(n))
