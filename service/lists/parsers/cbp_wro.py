"""CBP's "Withhold Release Orders and Findings" dataset CSV (linked from cbp.gov's WRO/Findings page).

Read by header name (UTF-8 with BOM; extra columns and header whitespace tolerated): `Effective Date`
(MM/DD/YYYY), `Country Code`, `Country`, `Merchandise`, `WRO/Finding`, `Industry`, `Status`, `Press
Release`, `Entity` (aliases after ` a/k/a `), `Remarks`, `Modified Date`. One entry per row (an order),
every country kept.

- Group wording ("and Subsidiaries", "and its subordinates") leaves the name for `extra["listing_scope"]`.
- `Status` is kept (`extra["status"]`) and written into the citation. A `Revoked`, `Inactive` or `Modified`
  order still matches, but as information only: its evidence shows the status and the lifted-order
  consequence, and it neither raises the verdict nor asks for detention documents
  (`service/screening/consequences.py`, LIFTED_STATUSES).
- A region-wide order (no entity, or a region rather than a company, or wording saying region-wide)
  becomes a `match_by_name=False` entry whose `order_type` says "region-wide" and names the merchandise:
  it applies as a rule through place and sector (service/screening/region_orders.py), never by name.
  An order on the XPCC gets "XPCC" in its `order_type`, like the shipped one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from service.lists.errors import ListFormatError
from service.lists.ids import provisional_id, unique_ids
from service.lists.parsers.common import csv_records, split_han
from service.lists.parsers.countries import to_iso2
from service.screening.model import CBP_WRO, ListEntry
from service.screening.normalize import fold

REQUIRED = ("Effective Date", "WRO/Finding", "Status", "Entity")
EXTRA = {"Merchandise": "merchandise", "Industry": "industry", "Press Release": "press_release",
         "Modified Date": "modified_date"}
LEGAL_BASIS = "19 U.S.C. 1307 (Tariff Act of 1930, sec. 307)"
DATASET = "CBP Withhold Release Orders and Findings list (cbp.gov, WRO/Findings dataset CSV)"
_AKA = re.compile(r"\s+(?:a/k/a|a\.k\.a\.?|aka)\s+", re.IGNORECASE)
_SCOPE = re.compile(r",?\s+(and\s+(?:its\s+)?(?:subsidiaries|subordinates|affiliates))\s*$", re.IGNORECASE)
_REGION = re.compile(r"\b(?:autonomous\s+region|region-wide)\b", re.IGNORECASE)
_XPCC = re.compile(r"\bxpcc\b|production and construction corp", re.IGNORECASE)


def _key(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).casefold()


def looks_like_cbp_header(columns: list[str]) -> bool:
    keys = {_key(c) for c in columns}
    return {"wro/finding", "entity"} <= keys


def parse_cbp_csv(text: str, *, source: str = CBP_WRO, file: str) -> list[ListEntry]:
    """Every order of the dataset; refuses a missing column, a bad date or a cut-off row naming the line."""
    if source != CBP_WRO:
        raise ListFormatError(file, f"the CBP WRO/Findings dataset loads only as {CBP_WRO}, not {source!r}")
    records = csv_records(text, file=file)
    _, header = next(records, (1, []))
    cols = {_key(h): i for i, h in enumerate(header)}
    missing = [c for c in REQUIRED if _key(c) not in cols]
    if missing:
        raise ListFormatError(file, f"not the CBP WRO/Findings dataset: missing column(s) {', '.join(missing)}",
                              line=1)
    entries = []
    for line, cells in records:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise ListFormatError(file, f"row has {len(cells)} cells, header has {len(header)}", line=line)
        row = {name: (cells[i].strip() if i < len(cells) else "") for name, i in cols.items()}
        entries.append(_entry(row, source=source, file=file, line=line))
    ids = unique_ids([e.entry_id for e in entries])
    return [e if e.entry_id == i else replace(e, entry_id=i) for e, i in zip(entries, ids, strict=True)]


def _entry(row: dict[str, str], *, source: str, file: str, line: int) -> ListEntry:
    kind = row["wro/finding"]
    if not kind:
        raise ListFormatError(file, "empty WRO/Finding", line=line, column="WRO/Finding")
    effective = _date(row["effective date"], file=file, line=line, column="Effective Date")
    names = [n.strip() for n in _AKA.split(row["entity"]) if n.strip()]
    scopes = [m.group(1) for n in names if (m := _SCOPE.search(n))]
    names = list(dict.fromkeys(_SCOPE.sub("", n).strip(" ,") for n in names))
    scope = _scope_of(scopes, kind)
    region = not names or any(_REGION.search(t) for t in (names[0] if names else "", kind))
    order_type = _order_type(kind, row.get("merchandise", ""), names, scope, region=region)
    name = names[0] if names else f"Region-wide order: {row.get('merchandise') or kind} ({row.get('country') or '?'})"
    others, han = split_han(names[1:])
    extra = {key: row[_key(col)] for col, key in EXTRA.items() if row.get(_key(col))}
    extra |= {"order_type": order_type, "status": row["status"] or "not stated"}
    if scope:
        extra["listing_scope"] = scope
    if row.get("modified date"):
        _date(row["modified date"], file=file, line=line, column="Modified Date")
    return ListEntry(
        source=source, entry_id=provisional_id("cbp", effective.isoformat() if effective else "undated", name),
        name=name, entity_type="company", aliases=tuple(a for a in others if fold(a) != fold(name)),
        chinese_names=han, country=to_iso2(row.get("country code")) or to_iso2(row.get("country")),
        date_listed=effective, legal_basis=LEGAL_BASIS, citation=_citation(kind, effective, row),
        remarks=row.get("remarks") or None, match_by_name=not region, extra=extra,
    )


def _scope_of(scopes: list[str], kind: str) -> str:
    found = scopes[0] if scopes else (m.group(1) if (m := re.search(r"\b(and\s+its\s+subordinates)\b", kind)) else "")
    return " ".join(found.lower().split())


def _order_type(kind: str, merchandise: str, names: list[str], scope: str, *, region: bool) -> str:
    """The column verbatim when it already says what the order covers; else built from the row's cells."""
    if "(" in kind:
        return kind
    parts = [merchandise.lower()] if merchandise else []
    if region:
        parts = [f"region-wide: {merchandise.lower()}" if merchandise else "region-wide"]
    if names and _XPCC.search(" ".join(names)):
        parts.append(f"XPCC {scope}".strip())
    return f"{kind} ({'; '.join(parts)})" if parts else kind


def _citation(kind: str, effective: date | None, row: dict[str, str]) -> str:
    label = "Finding" if kind.lower().startswith("finding") else "Withhold Release Order"
    parts = [DATASET, label]
    if effective:
        parts.append(f"effective {effective.isoformat()}")
    parts.append(f"status {row['status'] or 'not stated'}")
    if row.get("modified date"):
        parts.append(f"modified {row['modified date']}")
    return ", ".join(parts)


def _date(value: str, *, file: str, line: int, column: str) -> date | None:
    if not value:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ListFormatError(file, f"{column} {value!r} is not a date (MM/DD/YYYY)", line=line, column=column)
