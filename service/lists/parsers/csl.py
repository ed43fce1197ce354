"""trade.gov Consolidated Screening List: the CSV download (older layout, and the newer one with a
leading `_id`) and the JSON download/API shape (`{"results": [...]}`).

`program` is the upstream list's full name (the `source` column) and `extra["list_code"]` its short
code (EL, SDN, MEU, ...). `entry_id` is `_id`/`id` when present, else `entity_number`, else
`"h:"` + the first 16 hex digits of sha256(`source|name`); a repeated id gets `~<list code>` and
then `~2`, `~3`... appended in file order, so an unchanged file reloads with the same ids.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.lists.errors import ListFormatError
from service.lists.parsers.common import check_width, csv_records, split_han, split_list
from service.lists.parsers.countries import to_iso2
from service.screening.model import TRADE_GOV_CSL, ListEntry
from service.screening.vocabulary import EntityType

ENTITY_TYPES: dict[str, EntityType] = {
    "individual": "person", "entity": "company", "vessel": "vessel", "aircraft": "unknown", "": "unknown",
}
LEGAL_BASES = {
    "EL": "Export Administration Regulations, 15 C.F.R. part 744, Supplement No. 4 (Entity List)",
    "MEU": "Export Administration Regulations, 15 C.F.R. part 744, Supplement No. 7 (Military End-User List)",
    "UVL": "Export Administration Regulations, 15 C.F.R. part 744, Supplement No. 6 (Unverified List)",
    "DPL": "Export Administration Regulations, 15 C.F.R. part 764 (Denied Persons List)",
}
EXTRA_FIELDS = ("entity_number", "title", "federal_register_notice", "end_date", "standard_order",
                "license_requirement", "license_policy", "source_information_url", "ids")
_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")


@dataclass
class CslRecord:
    """One CSL row, the same whether read from CSV or JSON."""

    upstream_id: str
    list_name: str
    name: str
    type: str = ""
    alt_names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None
    programs: tuple[str, ...] = ()
    start_date: str = ""
    remarks: str = ""
    source_list_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def list_code(list_name: str) -> str | None:
    """`"Entity List (EL) - Bureau of Industry and Security"` → `"EL"`."""
    match = _CODE.search(list_name)
    return match.group(1) if match else None


def looks_like_csl_header(columns: list[str]) -> bool:
    cols = {c.strip() for c in columns}
    return {"source", "name"} <= cols and bool({"entity_number", "_id"} & cols)


def parse_csl_csv(text: str, *, source: str = TRADE_GOV_CSL, file: str) -> list[ListEntry]:
    """Parse the CSL CSV (either layout); refuses mis-columned or cut-off rows naming the line."""
    records = csv_records(text, file=file)
    _, header = next(records, (1, []))
    header = [h.strip() for h in header]
    if not looks_like_csl_header(header):
        raise ListFormatError(file, "header lacks source, name and entity_number/_id columns", line=1)
    builder = _Builder(source=source, file=file)
    for line, cells in records:
        check_width(cells, len(header), file=file, line=line)
        row = {col: cell.strip() for col, cell in zip(header, cells, strict=True)}
        addresses = split_list(row.get("addresses", ""))
        country = _address_country(addresses)
        builder.add(CslRecord(
            upstream_id=row.get("_id") or row.get("entity_number", ""),
            list_name=row["source"], name=row["name"], type=row.get("type", ""),
            alt_names=split_list(row.get("alt_names", "")), addresses=addresses, country=country,
            programs=split_list(row.get("programs", "")), start_date=row.get("start_date", ""),
            remarks=row.get("remarks", ""), source_list_url=row.get("source_list_url", ""),
            extra={k: row[k] for k in EXTRA_FIELDS if row.get(k)},
        ), line=line)
    return builder.entries


def parse_csl_json(text: str, *, source: str = TRADE_GOV_CSL, file: str) -> list[ListEntry]:
    """Parse the CSL JSON (`{"results": [...]}`); errors name the line where the bad result starts."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListFormatError(file, f"invalid JSON ({exc.msg} at character {exc.colno}); the file may be "
                              "truncated", line=exc.lineno) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise ListFormatError(file, 'expected a JSON object with a "results" array', line=1)
    builder = _Builder(source=source, file=file)
    for line, result in zip(_result_lines(text), doc["results"], strict=True):
        if not isinstance(result, dict):
            raise ListFormatError(file, "a result is not a JSON object", line=line)
        builder.add(_json_record(result, file=file, line=line), line=line)
    return builder.entries


def _json_record(r: dict[str, Any], *, file: str, line: int) -> CslRecord:
    def text(key: str) -> str:
        value = r.get(key)
        if value is None:
            return ""
        if not isinstance(value, str | int):
            raise ListFormatError(file, f"{key} must be a string", line=line, column=key)
        return str(value).strip()

    def texts(key: str) -> tuple[str, ...]:
        value = r.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ListFormatError(file, f"{key} must be a list of strings", line=line, column=key)
        return tuple(v.strip() for v in value if v.strip())

    addresses = r.get("addresses") or []
    if not isinstance(addresses, list) or not all(isinstance(a, dict) for a in addresses):
        raise ListFormatError(file, "addresses must be a list of objects", line=line, column="addresses")
    parts = ("address", "city", "state", "postal_code", "country")
    joined = (", ".join(str(a[p]).strip() for p in parts if a.get(p)) for a in addresses)
    lines = tuple(s for s in joined if s)
    first = addresses[0] if addresses else {}
    return CslRecord(
        upstream_id=text("_id") or text("id") or text("entity_number"), list_name=text("source"),
        name=text("name"), type=text("type"), alt_names=texts("alt_names"), addresses=lines,
        city=(str(first.get("city") or "").strip() or None),
        country=to_iso2(str(first.get("country") or "")),
        programs=texts("programs"), start_date=text("start_date"), remarks=text("remarks"),
        source_list_url=text("source_list_url"),
        extra={k: str(r[k]).strip() for k in EXTRA_FIELDS
               if isinstance(r.get(k), str | int) and str(r[k]).strip()},
    )


def _result_lines(text: str) -> list[int]:
    """The line on which each element of the top-level `results` array starts."""
    decoder, ws = json.JSONDecoder(), re.compile(r"[ \t\r\n]*")

    def skip(pos: int) -> int:
        return ws.match(text, pos).end()  # type: ignore[union-attr]

    pos = skip(0) + 1  # past the top-level "{"
    while text[skip(pos)] != "}":
        key, pos = decoder.raw_decode(text, skip(pos))
        pos = skip(skip(pos) + 1)  # past ":"
        if key == "results":
            break
        _, pos = decoder.raw_decode(text, pos)
        pos = skip(pos) + (text[skip(pos)] == ",")
    lines, line, last = [], 1, 0
    pos += 1  # past "["
    while text[skip(pos)] != "]":
        pos = skip(pos)
        line, last = line + text.count("\n", last, pos), pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)
        pos = skip(pos) + (text[skip(pos)] == ",")
    return lines


def _address_country(addresses: tuple[str, ...]) -> str | None:
    """The CSV's addresses end in a country code (`..., Guangzhou, CN`)."""
    for address in addresses:
        country = to_iso2(address.rsplit(",", 1)[-1])
        if country:
            return country
    return None


class _Builder:
    def __init__(self, *, source: str, file: str) -> None:
        self.source, self.file = source, file
        self.entries: list[ListEntry] = []
        self.seen: set[str] = set()

    def add(self, rec: CslRecord, *, line: int) -> None:
        if not rec.name:
            raise ListFormatError(self.file, "empty name", line=line, column="name")
        if not rec.list_name:
            raise ListFormatError(self.file, "empty source (list name)", line=line, column="source")
        if rec.type.lower() not in ENTITY_TYPES:
            raise ListFormatError(self.file, f"unknown type {rec.type!r}", line=line, column="type")
        code = list_code(rec.list_name)
        aliases, han = split_han([rec.name, *rec.alt_names])
        extra = {**rec.extra, **({"list_code": code} if code else {})}
        if rec.programs:
            extra["programs"] = "; ".join(rec.programs)
        self.entries.append(ListEntry(
            source=self.source, entry_id=self._entry_id(rec, code), name=rec.name,
            entity_type=ENTITY_TYPES[rec.type.lower()],
            aliases=tuple(a for a in aliases if a != rec.name),
            chinese_names=tuple(h for h in han if h != rec.name), addresses=rec.addresses,
            city=rec.city, country=rec.country, date_listed=self._date(rec.start_date, line),
            legal_basis=LEGAL_BASES.get(code or "") or ("; ".join(rec.programs) or None),
            citation="; ".join(v for v in (rec.extra.get("federal_register_notice"), rec.source_list_url)
                               if v) or None,
            remarks=rec.remarks or None, program=rec.list_name, extra=extra,
        ))

    def _entry_id(self, rec: CslRecord, code: str | None) -> str:
        key = f"{rec.list_name}|{rec.name}".encode()
        base = rec.upstream_id or "h:" + hashlib.sha256(key).hexdigest()[:16]
        candidate = base if base not in self.seen else f"{base}~{code or 'dup'}"
        n = 2
        while candidate in self.seen:
            candidate, n = f"{base}~{n}", n + 1
        self.seen.add(candidate)
        return candidate

    def _date(self, value: str, line: int) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError as exc:
            raise ListFormatError(self.file, f"start_date {value!r} is not an ISO date (YYYY-MM-DD)",
                                  line=line, column="start_date") from exc
