"""Stream screening results back as CSV, JSON or XLSX: the original columns, then ours.

Every writer is a generator of bytes for a streaming HTTP response; none holds the whole file in memory
(the XLSX is built in a temp file by xlsxwriter's constant-memory mode, then read out in chunks).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

RESULT_COLUMNS = ("flrisk_row", "flrisk_verdict", "flrisk_risk_score", "flrisk_reason", "flrisk_top_match_source",
                  "flrisk_top_match_entry", "flrisk_top_match_name", "flrisk_top_match_score",
                  "flrisk_xinjiang_place", "flrisk_sector", "flrisk_screening_id", "flrisk_evidence",
                  "flrisk_report", "flrisk_original_verdict", "flrisk_original_risk_score", "flrisk_decisions",
                  "flrisk_warnings", "flrisk_lists")
NUMERIC_COLUMNS = ("flrisk_row", "flrisk_risk_score", "flrisk_top_match_score", "flrisk_original_risk_score")
# Row colours by verdict; "clear" rows stay uncoloured.
VERDICT_COLOURS = {"presumption": "#F4B6B6", "review": "#FAD7A0", "elevated": "#FCF3B0"}
_BATCH = 1000  # rows per CSV/JSON chunk: large enough to amortise the writer, small enough to stream
_CHUNK = 1024 * 1024
WARNING_SEPARATOR = " | "  # several warnings in one CSV/XLSX cell
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|\.\d+)([eE][+-]?\d+)?")  # "-12.5": a number, never a formula


@dataclass(frozen=True)
class ListsNote:
    """The lists a batch was screened against (`batch.lists_used`): `lists` (ListUsage dicts, with
    `official_count` when known partial) and `warnings` (plain sentences)."""

    lists: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> ListsNote:
        stored = stored or {}
        return cls(tuple(stored.get("lists") or ()), tuple(stored.get("warnings") or ()))

    def public(self) -> list[dict[str, Any]]:
        """The lists as results show them (without the internal `official_count` and `partial`)."""
        return [{k: v for k, v in u.items() if k not in _INTERNAL} for u in self.lists]

    def cell(self) -> str:
        """`uflpa_entity_list v1 (149 of 187 entities, stale); cbp_wro v2`: each list, flagged when partial or
        stale, for the `flrisk_lists` column of every row."""
        return "; ".join(f"{u['source']} v{u['version']}{_flags(u)}" for u in self.lists)


_INTERNAL = ("official_count", "partial")


def _flags(usage: dict[str, Any]) -> str:
    if usage.get("official_count"):
        flags = [f"{usage['entry_count']} of {usage['official_count']} entities"]
    else:
        flags = ["partial"] if usage.get("partial") else []
    flags += ["stale"] if usage.get("stale") else []
    return f" ({', '.join(flags)})" if flags else ""


@dataclass(frozen=True)
class ResultRow:
    """One row of a results file: its cells, and its result after analyst decisions next to the original."""

    values: list[str]  # the original cells
    verdict: str
    risk_score: int
    top_match_source: str | None
    top_match_entry: str | None
    top_match_name: str | None
    top_match_score: float | None
    xinjiang_place: str | None
    sector: str | None
    screening_id: str | None
    warnings: tuple[str, ...] = ()  # e.g. an unrecognised country the row was screened without
    row: int | None = None  # the spreadsheet row of the uploaded file (header = 1)
    reason: str = ""
    original_verdict: str | None = None  # as screened, when decisions changed it; else the verdict
    original_risk_score: int | None = None
    decision_ids: tuple[str, ...] = ()

    @property
    def evidence_url(self) -> str | None:
        return f"/v1/screenings/{self.screening_id}" if self.screening_id else None

    @property
    def report_url(self) -> str | None:
        return f"/v1/screenings/{self.screening_id}/report" if self.screening_id else None


def _safe(text: str | None) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP "CSV injection"): a leading =, +, -, @, tab or
    carriage return gets a quote in front. Applied to every cell, the uploaded ones too: a supplier name like
    `=HYPERLINK(...)` must not become a live formula in an analyst's Excel. Plain numbers ("-12.5") are left."""
    if not text:
        return ""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


safe_cell = _safe  # for other writers of user cells (the upload error sheet)


def _score(score: float | None) -> str:
    return "" if score is None else f"{score:.3f}".rstrip("0").rstrip(".")


def _ours(row: ResultRow, lists_cell: str = "") -> list[str]:
    original = row.original_risk_score if row.original_risk_score is not None else row.risk_score
    return [str(row.row or ""), _safe(row.verdict), str(row.risk_score), _safe(row.reason),
            _safe(row.top_match_source), _safe(row.top_match_entry), _safe(row.top_match_name),
            _score(row.top_match_score), _safe(row.xinjiang_place), _safe(row.sector), _safe(row.screening_id),
            _safe(row.evidence_url), _safe(row.report_url), _safe(row.original_verdict or row.verdict),
            str(original), _safe(" ".join(row.decision_ids)), _safe(WARNING_SEPARATOR.join(row.warnings)),
            _safe(lists_cell)]


def _batches(rows: Iterable[ResultRow]) -> Iterator[list[ResultRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def csv_stream(headers: list[str], rows: Iterable[ResultRow], note: ListsNote = ListsNote()) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel shows 汉字 right), CRLF line ends, every cell quoted only when needed. The
    last column, `flrisk_lists`, names the lists each row was screened against, flagged when partial or stale."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*map(_safe, headers), *RESULT_COLUMNS])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    lists_cell = note.cell()
    for batch in _batches(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([*map(_safe, row.values), *_ours(row, lists_cell)] for row in batch)
        yield buffer.getvalue().encode()


def _json_object(headers: list[str], row: ResultRow) -> dict[str, object]:
    return {
        "row": row.row, "cells": dict(zip(headers, row.values, strict=False)), "verdict": row.verdict,
        "risk_score": row.risk_score, "reason": row.reason,
        "top_match_source": row.top_match_source, "top_match_entry": row.top_match_entry,
        "top_match_name": row.top_match_name, "top_match_score": row.top_match_score,
        "xinjiang_place": row.xinjiang_place, "sector": row.sector, "screening_id": row.screening_id,
        "evidence_url": row.evidence_url, "report_url": row.report_url,
        "original_verdict": row.original_verdict or row.verdict,
        "original_risk_score": row.original_risk_score if row.original_risk_score is not None else row.risk_score,
        "decision_ids": list(row.decision_ids), "warnings": list(row.warnings),
    }


def json_stream(headers: list[str], rows: Iterable[ResultRow], note: ListsNote = ListsNote()) -> Iterator[bytes]:
    """A JSON object: `lists` and `warnings` (the lists the rows were screened against), then `rows`, an array of
    {"row": <spreadsheet row>, "cells": {header: cell}, "verdict": ..., ...} objects, one per line, UTF-8."""
    head = json.dumps({"lists": note.public(), "warnings": list(note.warnings)}, ensure_ascii=False)
    yield (head[:-1] + ', "rows": [').encode()
    separator = "\n"
    for batch in _batches(rows):
        parts = []
        for row in batch:
            parts.append(separator + json.dumps(_json_object(headers, row), ensure_ascii=False))
            separator = ",\n"
        yield "".join(parts).encode()
    yield b"\n]}\n"


def xlsx_bytes_stream(headers: list[str], rows: Iterable[ResultRow], note: ListsNote = ListsNote(), *,
                      tmp_dir: Path | None = None) -> Iterator[bytes]:
    """An XLSX of the results: frozen header, autofilter, rows coloured by verdict, scores as numbers.

    The workbook is written in full at the first `next()` (xlsxwriter needs to close it), then streamed in
    1 MB chunks; the temp file is deleted even when the consumer stops early.
    """
    handle, name = tempfile.mkstemp(suffix=".xlsx", dir=tmp_dir)
    os.close(handle)
    path = Path(name)
    try:
        _write_xlsx(path, headers, rows, note)
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


def _write_xlsx(path: Path, headers: list[str], rows: Iterable[ResultRow], note: ListsNote) -> None:
    # write_string/write_number only: xlsxwriter's generic write() would turn "=..." user cells into formulas.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("flrisk results")
    bold = workbook.add_format({"bold": True})
    for column, header in enumerate([*headers, *RESULT_COLUMNS]):
        sheet.write_string(0, column, header, bold)
    width, last_row = len(headers), 0
    numeric = {width + RESULT_COLUMNS.index(name) for name in NUMERIC_COLUMNS}
    lists_cell = note.cell()
    for last_row, row in enumerate(rows, start=1):
        for column, value in enumerate(row.values):
            if value:
                sheet.write_string(last_row, column, value)
        for column, value in enumerate(_ours(row, lists_cell), start=width):
            if not value:
                continue
            if column in numeric:
                sheet.write_number(last_row, column, float(value))
            else:
                sheet.write_string(last_row, column, value)
    last_column = width + len(RESULT_COLUMNS) - 1
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last_row, 1), last_column)
    sheet.set_column(width, last_column, 18)
    _colour_by_verdict(workbook, sheet, width + RESULT_COLUMNS.index("flrisk_verdict"), max(last_row, 1),
                       last_column)
    _lists_sheet(workbook, note, bold)
    workbook.close()


LISTS_SHEET_COLUMNS = ("source", "version", "entry_count", "snapshot_date", "last_checked_at", "stale",
                       "coverage_note")


def _lists_sheet(workbook: xlsxwriter.Workbook, note: ListsNote, bold: Any) -> None:
    """A second sheet, "lists screened against": one row per list version, then the warnings."""
    sheet = workbook.add_worksheet("lists screened against")
    for column, header in enumerate(LISTS_SHEET_COLUMNS):
        sheet.write_string(0, column, header, bold)
    for number, usage in enumerate(note.lists, start=1):
        for column, key in enumerate(LISTS_SHEET_COLUMNS):
            value = usage.get(key)
            if isinstance(value, bool):
                sheet.write_boolean(number, column, value)
            elif isinstance(value, int):
                sheet.write_number(number, column, value)
            elif value is not None:
                sheet.write_string(number, column, _safe(str(value)))
    start = len(note.lists) + 2
    sheet.write_string(start, 0, "warnings", bold)
    for offset, warning in enumerate(note.warnings or ("none: every list used was current and complete",), 1):
        sheet.write_string(start + offset, 0, _safe(warning))
    sheet.set_column(0, 0, 22)
    sheet.set_column(6, 6, 80)


def _colour_by_verdict(workbook: xlsxwriter.Workbook, sheet: Worksheet, verdict_column: int, last_row: int,
                       last_column: int) -> None:
    """One formula rule per verdict over the whole data range: per-row formats would not scale to 100k rows."""
    letter = xl_col_to_name(verdict_column)
    for verdict, colour in VERDICT_COLOURS.items():
        fill = workbook.add_format({"bg_color": colour})
        sheet.conditional_format(1, 0, last_row, last_column,
                                 {"type": "formula", "criteria": f'=${letter}2="{verdict}"', "format": fill})
