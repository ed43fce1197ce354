"""The project's own list CSV format (the shipped snapshot's).

Columns: `list_id`, `name` (required), `aliases` (pipe-separated), `chinese_name` (pipe-separated
for several), `country`, `city_or_address`, `date_added` (ISO date), `legal_basis_or_section`,
`source_citation`, `notes`, optional `entity_type` and `xinjiang_linked` (true/false, default true:
the shipped lists are Xinjiang selections); any further column (`listing_scope`, `order_type`, ...) is
kept in `extra`. `notes` is maintainers' provenance: it only informs the entity type and is never
copied into the entry, so it cannot reach a result, report or export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from service.lists.errors import ListFormatError
from service.screening.model import ListEntry
from service.screening.vocabulary import EntityType

REQUIRED = ("list_id", "name")
CORE = {
    "list_id", "name", "aliases", "chinese_name", "country", "city_or_address", "date_added",
    "legal_basis_or_section", "source_citation", "notes", "entity_type", "xinjiang_linked",
}
ENTITY_TYPES: tuple[EntityType, ...] = ("company", "person", "organization", "vessel", "unknown")


def looks_like_snapshot_csv(head: str) -> bool:
    first = head.splitlines()[0] if head else ""
    cols = {c.strip().strip('"') for c in first.split(",")}
    return set(REQUIRED) <= cols


def parse_snapshot_csv(text: str, *, source: str, file: str) -> list[ListEntry]:
    """Parse a whole file; raises ListFormatError naming file, line and column on the first bad row."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ListFormatError(file, f"missing required column(s): {', '.join(missing)}", line=1)
    entries: list[ListEntry] = []
    seen: set[str] = set()
    try:
        for row in reader:
            line = reader.line_num
            if None in row:  # more cells than header columns
                raise ListFormatError(file, f"row has {len(header) + len(row[None])} cells, header has "
                                      f"{len(header)}", line=line)
            if any(v is None for v in row.values()):
                raise ListFormatError(file, f"row has fewer cells than the header's {len(header)}", line=line)
            entry = _row_to_entry(row, source=source, file=file, line=line)
            if entry.entry_id in seen:
                raise ListFormatError(file, f"duplicate list_id {entry.entry_id!r}", line=line, column="list_id")
            seen.add(entry.entry_id)
            entries.append(entry)
    except csv.Error as exc:
        raise ListFormatError(file, f"malformed CSV: {exc}", line=reader.line_num) from exc
    return entries


def read_snapshot_csv(path: Path, *, source: str) -> list[ListEntry]:
    from service.lists.parsers.text import read_text

    return parse_snapshot_csv(read_text(path), source=source, file=path.name)


def _row_to_entry(row: dict[str, str], *, source: str, file: str, line: int) -> ListEntry:
    def cell(col: str) -> str:
        return (row.get(col) or "").strip()

    entry_id, name = cell("list_id"), cell("name")
    if not entry_id:
        raise ListFormatError(file, "empty list_id", line=line, column="list_id")
    if not name:
        raise ListFormatError(file, "empty name", line=line, column="name")
    listed = None
    if cell("date_added"):
        try:
            listed = date.fromisoformat(cell("date_added"))
        except ValueError as exc:
            raise ListFormatError(file, f"date_added {cell('date_added')!r} is not an ISO date (YYYY-MM-DD)",
                                  line=line, column="date_added") from exc
    extra = {k: v.strip() for k, v in row.items() if k not in CORE and v and v.strip()}
    return ListEntry(
        source=source,
        entry_id=entry_id,
        name=name,
        entity_type=_entity_type(cell("entity_type"), cell("notes"), file=file, line=line),
        aliases=tuple(_split(cell("aliases"))),
        chinese_names=tuple(_split(cell("chinese_name"))),
        addresses=tuple(_split(cell("city_or_address"))),
        city=cell("city_or_address") or None,
        country=cell("country").upper() or None,
        date_listed=listed,
        legal_basis=cell("legal_basis_or_section") or None,
        citation=cell("source_citation") or None,
        program=_program(cell("legal_basis_or_section")),
        xinjiang_linked=_flag(cell("xinjiang_linked"), file=file, line=line),
        match_by_name="region-wide" not in extra.get("order_type", ""),
        extra=extra,
    )


def _flag(value: str, *, file: str, line: int) -> bool:
    if value.lower() in ("", "true", "yes", "1"):
        return True
    if value.lower() in ("false", "no", "0"):
        return False
    raise ListFormatError(file, f"xinjiang_linked {value!r} is not true or false", line=line, column="xinjiang_linked")


def _split(value: str) -> Iterator[str]:
    return (part.strip() for part in value.split("|") if part.strip())


def _entity_type(value: str, notes: str, *, file: str, line: int) -> EntityType:
    if value:
        if value not in ENTITY_TYPES:
            raise ListFormatError(file, f"entity_type {value!r} is not one of {', '.join(ENTITY_TYPES)}",
                                  line=line, column="entity_type")
        return value
    # OFAC rows say "individual; DOB ..." or "entity; ..." at the start of their notes.
    if notes.lower().startswith("individual"):
        return "person"
    return "company"


def _program(basis: str) -> str | None:
    if "GLOMAG" in basis:
        return "GLOMAG"
    return None
