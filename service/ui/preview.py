"""The upload preview: what the file looks like to the screening (encoding, headers, mapping, first rows),
and upload errors in plain words with the row and column a spreadsheet user would look at."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from service.api.errors import ApiError
from service.batches.errors import UploadError
from service.batches.mapping import FIELDS, Mapping, UploadRow, auto_mapping, parse_mapping, upload_rows, validate
from service.batches.problems import RowProblem, UploadProblems
from service.batches.reading import read_table
from service.countries import dropped_warning, lookup
from service.ui.render import megabytes

SAMPLE_ROWS = 5
COUNTRY_WARNINGS = 10  # listed; a file with thousands of them needs its country column fixed, not a long list
ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16", "cp1252", "shift_jis", "euc_kr")
HINTS = {
    "mapping": "Choose the column that holds the supplier names in the column mapping, then start again.",
    "encoding": "Pick the file's encoding in the list (files saved by Chinese Excel are usually GB18030/GBK), "
                "or save the file as “CSV UTF-8” and upload it again.",
    "file": "Correct the file in your spreadsheet and upload it again.",
}


@dataclass(frozen=True)
class Problem:
    """An upload error for people: what is wrong, where, and what to do."""

    message: str
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    field: str = "file"
    rows: tuple[RowProblem, ...] = ()  # every bad row (up to problems.MAX_LISTED), for the table
    total: int = 0


@dataclass
class Preview:
    filename: str | None
    size: int
    format: str | None = None
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    rows: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    auto: dict[str, str] = field(default_factory=dict)
    problem: Problem | None = None
    country_warnings: list[str] = field(default_factory=list)  # the first rows whose country names none

    @property
    def by_header(self) -> dict[str, str]:
        """header -> field it is mapped to, for the sample table."""
        return {header: field for field, header in self.mapping.items()}

    @property
    def auto_json(self) -> str:
        return json.dumps(self.auto, ensure_ascii=False, sort_keys=True)


def plain(message: str) -> str:
    """The service's message without API vocabulary (form fields, JSON), capitalised."""
    message = message.split("; map one with mapping=")[0]
    message = message.replace("the `encoding` field", "the encoding list").replace("`", "")
    return message[:1].upper() + message[1:]


def problem_of(exc: UploadError) -> Problem:
    if isinstance(exc, UploadProblems):
        count = f"{exc.total:,} row problem{'s' if exc.total > 1 else ''}"
        return Problem(message=f"The file has {count}: fix them all, then upload it again.",
                       hint="Download the rows with problems as a sheet (each with its row number and what is "
                            "wrong), correct them in your spreadsheet, and upload the whole file again.",
                       rows=tuple(exc.problems), total=exc.total)
    message = plain(exc.message)
    return Problem(message=message, row=exc.row, column=exc.column, hint=HINTS.get(exc.field), field=exc.field)


def problem_of_api(exc: ApiError) -> Problem:
    """An error raised by the batch service: its UploadError cause when there is one, else its detail."""
    cause = exc.__cause__
    if isinstance(cause, UploadError):
        return problem_of(cause)
    return Problem(message=plain(exc.detail), hint=HINTS["file"])


def too_large(size: int, limit: int) -> Problem:
    return Problem(message=f"The file is larger than the upload limit of {megabytes(limit)}"
                           f"{f' (it is {megabytes(size)})' if size > limit else ''}.",
                   hint="Split the supplier list into smaller files, or save it as CSV (smaller than XLSX).")


def chosen_mapping(form: dict[str, str]) -> dict[str, str]:
    """{field: header} from the form's `map_<field>` selects; empty selects are left out."""
    return {f: form[f"map_{f}"] for f in FIELDS if form.get(f"map_{f}")}


def mapping_json(chosen: dict[str, str], auto: str | None) -> str | None:
    """The mapping to send, or None to let the service auto-map (when the user kept the proposal)."""
    if not chosen:
        return None
    if auto is not None and chosen == _loads(auto):
        return None
    return json.dumps(chosen, ensure_ascii=False)


def _loads(raw: str) -> dict[str, str] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def build(data: bytes, filename: str | None, *, encoding: str | None, chosen: dict[str, str] | None) -> Preview:
    """Read the file as the batch service will, propose a mapping, and check every name with it."""
    preview = Preview(filename=filename, size=len(data))
    try:
        table = read_table(data, filename=filename, encoding=encoding)
    except UploadError as exc:
        preview.problem = problem_of(exc)
        return preview
    preview.format, preview.encoding, preview.headers = table.format, table.encoding, table.headers
    preview.sample, preview.rows = table.rows[:SAMPLE_ROWS], len(table.rows)
    preview.auto = auto_mapping(table.headers).columns
    try:
        mapping = parse_mapping(json.dumps(chosen), table.headers) if chosen else Mapping(preview.auto, "auto")
        preview.mapping = mapping.columns
        validate(table, mapping)
        preview.country_warnings = unknown_countries(upload_rows(table, mapping), mapping.columns.get("country"))
    except UploadError as exc:
        preview.mapping = preview.mapping or (chosen or {})
        preview.problem = problem_of(exc)
        if exc.column and exc.column in preview.mapping.values() and exc.field == "file" and not preview.problem.rows:
            preview.problem = replace(preview.problem, hint="Choose another column in the column mapping below, "
                                                            "or correct the file and upload it again.")
    return preview


def unknown_countries(rows: list[UploadRow], column: str | None) -> list[str]:
    """Warnings for the first rows whose country cell names no country, and how many more there are."""
    unknown = [r for r in rows if r.country and lookup(r.country) is None]
    shown = [dropped_warning(f"Row {r.row_number}, column {column!r}", r.country or "")
             for r in unknown[:COUNTRY_WARNINGS]]
    more = len(unknown) - COUNTRY_WARNINGS
    return shown + ([f"... and {more} more rows"] if more > 0 else [])


def error_sheet(data: bytes, filename: str | None, fmt: str, *, encoding: str | None,
                chosen: dict[str, str] | None) -> bytes | Problem:
    """The rows with problems as a CSV or XLSX sheet; a Problem when the file cannot be read or mapped."""
    from service.batches.problem_sheet import problem_csv, problem_xlsx
    from service.batches.problems import row_problems

    try:
        table = read_table(data, filename=filename, encoding=encoding)
        mapping = parse_mapping(json.dumps(chosen), table.headers) if chosen else auto_mapping(table.headers)
        if "name" not in mapping.columns:
            validate(table, mapping)  # refuses for the missing name column
    except UploadError as exc:
        return problem_of(exc)
    problems, _ = row_problems(table, mapping.columns, limit=None)
    return problem_csv(table, problems) if fmt == "csv" else problem_xlsx(table, problems)
