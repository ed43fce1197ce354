"""The file to check, read into validated screening requests, one per row or record, each with its file line.

CSV and XLSX go through the batch-upload file layer (same encodings, header mapping and refusals); every
supplier row becomes the request `POST /v1/screenings:batch` takes, so the local and the server engine
screen exactly the same records. JSON is a list of `ScreeningRequest` objects or `{"records": [...]}`;
JSON Lines (`.jsonl`/`.ndjson`) one request per line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from service.api.schemas_screening import ScreeningRequest
from service.api.text import without_unknown_countries
from service.batches.errors import UploadError
from service.batches.mapping import Mapping, UploadRow, auto_mapping, parse_mapping, upload_rows, validate
from service.batches.problems import UploadProblems
from service.batches.reading import read_table
from service.check import InputError
from service.countries import dropped_warning, lookup

MAX_PROBLEMS = 10  # listed in the error message; a CI log needs the first few, not ten thousand
_RECORDS_ARRAY = re.compile(r'"records"\s*:\s*\[')
# Request field -> mapped column, to point a validation error at the spreadsheet column.
_FIELD_OF = {"hs_code": "hs_code", "origin_country": "country", "reference": "reference"}


@dataclass(frozen=True)
class CheckItem:
    index: int  # 0-based position in the file
    line: int  # where it starts: the CSV record / sheet row (header = 1), or the JSON line
    request: ScreeningRequest
    warnings: tuple[str, ...] = ()  # e.g. a country it does not recognise, left out of the screening
    unit: Literal["row", "line"] = "row"  # what `line` counts: spreadsheet rows, or lines of a JSON file

    @property
    def reference(self) -> str:
        return self.request.reference

    @property
    def name(self) -> str:
        return self.request.parties[0].name

    @property
    def where(self) -> str:
        return f"{self.unit} {self.line}"

    @property
    def label(self) -> str:
        """The record in a few words, without repeating its place: a supplier row by its name (and the file's
        reference, when the file has one), a shipment by its reference."""
        own = self.reference if self.reference != f"row {self.line}" else None
        if self.request.kind != "supplier":
            return own or self.reference
        return f"{self.name} ({own})" if own else self.name


@dataclass(frozen=True)
class CheckInput:
    path: str  # as given on the command line
    format: Literal["csv", "xlsx", "json", "jsonl"]
    items: list[CheckItem]


def load(path: Path, *, mapping_json: str | None = None, encoding: str | None = None) -> CheckInput:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    kind = _json_kind(path, data)
    if kind is None:
        fmt, items = _table_items(data, path.name, mapping_json, encoding)
        return CheckInput(str(path), fmt, items)
    if mapping_json:
        raise InputError("--mapping applies to CSV and XLSX files; JSON records name their fields")
    try:
        text = data.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{path.name} cannot be decoded as {encoding or 'UTF-8'}: {exc}") from None
    items = _jsonl_items(text) if kind == "jsonl" else _json_items(text)
    return CheckInput(str(path), kind, items)


def _json_kind(path: Path, data: bytes) -> Literal["json", "jsonl"] | None:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json" or data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"[", b"{"):
        return "json"
    return None


# --- CSV and XLSX ---------------------------------------------------------------------------------------------

def _table_items(data: bytes, filename: str, mapping_json: str | None, encoding: str | None
                 ) -> tuple[Literal["csv", "xlsx"], list[CheckItem]]:
    try:
        table = read_table(data, filename=filename, encoding=encoding)
        mapping = parse_mapping(mapping_json, table.headers) if mapping_json else auto_mapping(table.headers)
        validate(table, mapping)
        rows = upload_rows(table, mapping)
    except UploadProblems as exc:  # every bad row at once, as an upload lists them
        _refuse(filename, [f"row {p.row}, column {p.column!r}: {p.message}" for p in exc.problems], exc.total)
        raise
    except UploadError as exc:
        option = {"mapping": "--mapping: ", "encoding": "--encoding: "}.get(exc.field, f"{filename}: ")
        raise InputError(f"{option}{exc}") from None
    items: list[CheckItem] = []
    problems: list[str] = []
    for row in rows:
        try:
            # As in batch uploads, a country cell that names no country is screened without, with a warning.
            country = lookup(row.country)
            warnings = (dropped_warning(f"row {row.row_number}, column {mapping.columns.get('country')!r}",
                                        row.country),) if row.country and country is None else ()
            request = ScreeningRequest.model_validate(supplier_request(replace(row, country=country)))
            items.append(CheckItem(row.index, row.row_number, request, warnings))
        except ValidationError as exc:
            problems.extend(_row_problem(row, mapping, error) for error in exc.errors())
    _refuse(filename, problems)
    return table.format, items


def supplier_request(row: UploadRow) -> dict[str, Any]:
    """A supplier row as a `ScreeningRequest` body (the shape the batch job screens: one supplier party)."""
    party = {"role": "supplier", "name": row.name, "chinese_name": row.chinese_name, "country": row.country,
             "address": row.address, "city": row.city}
    kind = (row.type or "").lower()
    if kind in ("company", "person"):
        party["type"] = kind
    body: dict[str, Any] = {"reference": row.reference or f"row {row.row_number}", "kind": "supplier",
                            "parties": [{k: v for k, v in party.items() if v is not None}]}
    if row.hs_code:
        body["goods"] = [{k: v for k, v in {"hs_code": row.hs_code, "origin_country": row.country}.items()
                          if v is not None}]
    return body


def _row_problem(row: UploadRow, mapping: Mapping, error: Any) -> str:
    loc = [str(part) for part in error["loc"]]
    field = _FIELD_OF.get(loc[-1], loc[-1]) if loc else ""
    column = mapping.columns.get(field)
    where = f"row {row.row_number}" + (f", column {column!r}" if column else "")
    return f"{where}: {error['msg']}"


# --- JSON -----------------------------------------------------------------------------------------------------

def _json_items(text: str) -> list[CheckItem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(data, dict) and set(data) == {"records"} and isinstance(data["records"], list):
        records, prefix = data["records"], "/records"
        match = _RECORDS_ARRAY.search(text)
        start = match.end() - 1 if match else -1
    elif isinstance(data, list):
        records, prefix, start = data, "", text.find("[")
    else:
        raise InputError('a JSON file must hold a list of screening requests or {"records": [...]}')
    return _validated(records, _element_lines(text, start, len(records)), prefix)


def _jsonl_items(text: str) -> list[CheckItem]:
    records: list[Any] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"line {number} is not valid JSON: {exc.msg} (column {exc.colno})") from None
            lines.append(number)
    return _validated(records, lines, "")


def _validated(records: list[Any], lines: list[int], prefix: str) -> list[CheckItem]:
    if not records:
        raise InputError("the file holds no records")
    items: list[CheckItem] = []
    problems: list[str] = []
    for index, (raw, line) in enumerate(zip(records, lines, strict=True)):
        try:
            request, warnings = without_unknown_countries(ScreeningRequest, raw, prefix=f"{prefix}/{index}")
            items.append(CheckItem(index, line, request, tuple(f"line {line}, {w}" for w in warnings), "line"))
        except ValidationError as exc:
            problems.extend(f"{prefix}/{index}{''.join(f'/{p}' for p in e['loc'])} (line {line}): {e['msg']}"
                            for e in exc.errors())
    _refuse("records", problems)
    return items


def _element_lines(text: str, start: int, count: int) -> list[int]:
    """The line each element of the JSON array opening at `start` begins on (record number when unknown)."""
    if start < 0:
        return list(range(1, count + 1))
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos, line, counted = start + 1, 1, 0
    try:
        for _ in range(count):
            while text[pos] in " \t\r\n,":
                pos += 1
            line += text.count("\n", counted, pos)
            counted = pos
            lines.append(line)
            _, pos = decoder.raw_decode(text, pos)
    except (ValueError, IndexError):
        return list(range(1, count + 1))
    return lines


def _refuse(what: str, problems: list[str], total: int | None = None) -> None:
    if not problems:
        return
    total = total or len(problems)
    shown = "\n  ".join(problems[:MAX_PROBLEMS])
    more = f"\n  ... and {total - MAX_PROBLEMS} more" if total > MAX_PROBLEMS else ""
    raise InputError(f"{what}: {total} invalid value(s):\n  {shown}{more}")
