"""Read an uploaded CSV or XLSX into a `Table` of strings, refusing what cannot be screened row by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from service.batches.encoding import decode
from service.batches.errors import UploadError

DELIMITERS = (",", ";", "\t", "|")
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a 500,000-row sheet is ~100 MB of XML; twice that is not a vendor list
MAX_RATIO, RATIO_FLOOR = 100, 10 * 1024 * 1024  # real sheets compress ~10:1; a bomb compresses 1000:1
MAX_MEMBERS = 10_000
# Whatever the sheet's shape, what an upload holds in memory is bounded by these (422 beyond, naming the limit):
# a vendor master has a few dozen columns; 500 leaves room for wide ERP exports. Cells are counted over the
# header's width, so a sheet with one cell in A and one in XFD costs 16,384 cells per row and is refused early.
MAX_COLUMNS = 500
MAX_CELLS = 5_000_000  # e.g. 100,000 rows x 50 columns, or 1,000,000 rows x 5
MAX_TEXT_CHARS = 200_000_000  # all cell text together: a shared string repeated in every cell cannot multiply
_CELL_LIMIT = 1024 * 1024  # csv's default field limit (128 KB) is too low for some address blobs
_SNIFF_RECORDS = 50
_ONE_COLUMN = "\x00"  # a delimiter that cannot occur: decoded text with NUL was refused as binary


@dataclass(frozen=True)
class Table:
    format: Literal["csv", "xlsx"]
    encoding: str | None  # None for xlsx
    headers: list[str]  # original header texts, unchanged (written again in the results file)
    rows: list[list[str]]  # every data row as strings, same width as headers ("" for empty); empty rows skipped
    row_numbers: list[int]  # the file's own row/record number of each data row (header is 1)


def read_table(data: bytes, *, filename: str | None = None, encoding: str | None = None,
               max_rows: int = 1_000_000) -> Table:
    """The header and data rows of a CSV or XLSX upload. The format is told from the content, not `filename`."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy .xls, or an encrypted .xlsx
        raise UploadError("legacy .xls (or password-protected) workbooks are not supported; save as .xlsx or CSV")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, max_rows)
    text, used = decode(data, forced=encoding)
    return _read_csv(text, used, max_rows)


def _read_csv(text: str, encoding: str, max_rows: int) -> Table:
    csv.field_size_limit(_CELL_LIMIT)  # process-wide, but only ever raised here
    # strict: an unbalanced quote must be refused, not swallow the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    next_row = [1]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # A spreadsheet opening the CSV shows one record per row, blank lines included: number them that way.
        for number, record in enumerate(reader, start=1):
            next_row[0] = number + 1
            yield number, record

    try:
        headers, rows, numbers = _collect(numbered(), max_rows)
    except csv.Error as exc:
        raise UploadError(f"the CSV cannot be parsed from row {next_row[0]} on: {exc} (check the quoting)",
                          row=next_row[0]) from None
    return Table("csv", encoding, headers, rows, numbers)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most columns, consistently.

    csv.Sniffer guesses from character frequencies and is fooled by commas inside names ("Co., Ltd.").
    When no delimiter splits the header, the file is one column of names and is not split at all.
    """
    best, best_score = _ONE_COLUMN, (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(record) for _, record in zip(range(_SNIFF_RECORDS), _safe_records(text, delimiter), strict=False)
                  if record]
        if not widths or widths[0] < 2:
            continue
        consistent = sum(width == widths[0] for width in widths)
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _safe_records(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text[:64 * 1024], newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        return


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    _check_zip(data)
    import openpyxl  # imported here: heavy, and only needed for workbooks

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/BadZipFile etc. for damaged files
        raise UploadError(f"the XLSX workbook cannot be opened: {exc}") from None
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.sheet_state == "visible"), None)
        if sheet is None:
            raise UploadError("the workbook has no visible worksheet")
        headers, table_rows, numbers = _collect(_sheet_rows(sheet), max_rows)
    except UploadError:
        raise
    except Exception as exc:  # the sheet XML is parsed lazily: entity declarations, bad XML, odd cell values
        raise UploadError(f"the XLSX worksheet cannot be read: {type(exc).__name__}: {str(exc)[:200]}") from None
    finally:
        workbook.close()
    return Table("xlsx", None, headers, table_rows, numbers)


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, Sequence[str]]]:
    """(row number, cells) of every stored row, as text, never wider than the last cell the row stores.

    openpyxl's `iter_rows` pads every row to its last column, so one cell in XFD makes a 16,384-cell row;
    its sheet parser yields only the cells the XML holds, which is what a row is built from here.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            stored = [(cell["column"], cell["value"]) for cell in cells if cell["value"] not in (None, "")]
            yield number, _placed(number, stored)


def _placed(number: int, stored: list[tuple[int, object]]) -> list[str]:
    """A row's stored cells placed by column, refused before allocating when a cell lies beyond MAX_COLUMNS."""
    last = max((column for column, _ in stored), default=0)
    if last > MAX_COLUMNS:
        from openpyxl.utils import get_column_letter

        raise UploadError(f"row {number} has a cell in column {get_column_letter(last)}; the limit is "
                          f"{MAX_COLUMNS} columns", row=number)
    row = [""] * last
    for column, value in stored:
        row[column - 1] = _cell_text(value)
    return row


def _check_zip(data: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates anything.

    zipfile never inflates a member past its declared size, so checking declared sizes bounds the real work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("the file is a damaged zip archive, not a readable XLSX workbook") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UploadError(f"the XLSX has {len(members):,} parts (limit {MAX_MEMBERS:,}); it is not a plain table")
        if "xl/workbook.xml" not in archive.namelist():
            raise UploadError("the zip archive is not an XLSX workbook (no xl/workbook.xml)")
        if sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
            raise UploadError(f"the XLSX unpacks to more than {MAX_UNCOMPRESSED // 2**20} MB; "
                              "split it or upload it as CSV")
        for member in members:
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise UploadError(f"the XLSX part {member.filename} is compressed more than {MAX_RATIO}:1; refused")


def _cell_text(value: object) -> str:
    """A cell as the user sees it: integer ids without ".0", dates without a midnight time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # 15 significant digits, as Excel shows them: 0.1 + 0.2 reads "0.3", not "0.30000000000000004"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _collect(records: Iterable[tuple[int, Sequence[str]]], max_rows: int) -> tuple[list[str], list[list[str]],
                                                                                   list[int]]:
    """Header (first non-empty record), data rows padded to its width, and their row numbers, within the
    MAX_COLUMNS, MAX_CELLS and MAX_TEXT_CHARS limits."""
    headers: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    cells = chars = 0
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if headers is None:
            headers = _trim(list(record))
            if len(headers) > MAX_COLUMNS:
                raise UploadError(f"the header row has {len(headers):,} columns; the limit is {MAX_COLUMNS} columns",
                                  row=number)
            continue
        row = _fit(list(record), len(headers), number)
        cells, chars = cells + len(row), chars + sum(map(len, row))
        if cells > MAX_CELLS:
            raise UploadError(f"the file has more than {MAX_CELLS:,} cells (rows x header columns); "
                              "split it or drop unused columns", row=number)
        if chars > MAX_TEXT_CHARS:
            raise UploadError(f"the file holds more than {MAX_TEXT_CHARS:,} characters of cell text; split it",
                              row=number)
        rows.append(row)
        numbers.append(number)
        if len(rows) > max_rows:
            raise UploadError(f"the file has more than {max_rows:,} data rows; split it", row=number)
    if headers is None:
        raise UploadError("the file is empty: no header row and no data rows")
    if not rows:
        raise UploadError("the file has a header row but no data rows")
    return headers, rows, numbers


def _trim(record: list[str]) -> list[str]:
    while record and not record[-1].strip():  # trailing empty header cells: a trailing delimiter or formatting
        record.pop()
    return record


def _fit(record: list[str], width: int, number: int) -> list[str]:
    if len(record) > width:
        if any(cell.strip() for cell in record[width:]):
            raise UploadError(f"row {number} has {len(_trim(record))} cells but the header has {width}; "
                              "check the delimiter and quoting", row=number)
        return record[:width]
    return record + [""] * (width - len(record))
