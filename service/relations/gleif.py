"""GLEIF golden-copy CSV files, streamed: Level 1 LEI-CDF records and Level 2 RR-CDF relationship records.

The files are read row by row with the `csv` module, from a plain CSV or from the single CSV member of a zip
(as GLEIF publishes them, `...-gleif-goldencopy-lei2-golden-copy.csv.zip`), so the full golden copy (millions
of rows) never sits in memory. Columns are found by their header names (GLEIF adds columns between format
versions): LEI-CDF 3.1 `LEI`, `Entity.LegalName`, `Entity.OtherEntityNames.OtherEntityName.<n>`,
`Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.<n>`, `Entity.LegalAddress.*`,
`Entity.HeadquartersAddress.*`, `Entity.EntityStatus`; RR-CDF 2.1 `Relationship.StartNode.NodeID` (the child
or branch), `Relationship.EndNode.NodeID` (the parent or head office), `Relationship.RelationshipType`,
`Relationship.RelationshipStatus`, `Relationship.Period.<n>.startDate|endDate|periodType`,
`Relationship.Quantifiers.<n>.QuantifierAmount|QuantifierUnits`, `Registration.*`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TextIO

from service.relations.errors import RelationsFormatError

LEI_REQUIRED = ("LEI", "Entity.LegalName")
RR_REQUIRED = ("Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID", "Relationship.RelationshipType",
               "Relationship.RelationshipStatus")
# Accounting consolidation (parents) and international branches; fund relationships are not ownership.
RR_KINDS = {"IS_DIRECTLY_CONSOLIDATED_BY": "subsidiary_of", "IS_ULTIMATELY_CONSOLIDATED_BY": "subsidiary_of",
            "IS_INTERNATIONAL_BRANCH_OF": "branch_of"}
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_OTHER_NAME = re.compile(r"^Entity\.(?:Transliterated)?OtherEntityNames\.(?:Transliterated)?OtherEntityName\.\d+$")
_PERIOD = re.compile(r"^Relationship\.Period\.(\d+)\.periodType$")
_QUANTIFIER = re.compile(r"^Relationship\.Quantifiers\.(\d+)\.QuantifierUnits$")
GleifKind = Literal["lei", "rr"]


@dataclass(frozen=True, slots=True)
class LeiRecord:
    lei: str
    names: tuple[str, ...]  # legal name first, then other and transliterated names
    country: str | None  # legal address, else headquarters
    status: str  # Entity.EntityStatus: ACTIVE, INACTIVE


@dataclass(frozen=True, slots=True)
class RrRecord:
    line: int
    start: str  # child / branch LEI
    end: str  # parent / head-office LEI
    type: str
    status: str
    valid_from: date | None
    valid_to: date | None
    share: float | None  # percent, when a quantifier in PERCENTAGE is given
    registration: str
    validation: str
    updated: str


@contextmanager
def open_csv(path: Path) -> Iterator[tuple[str, TextIO]]:
    """The CSV as text (BOM dropped), plain or as the one `.csv` member of a zip; with a label for errors."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise RelationsFormatError(path.name, f"expected one .csv member in the zip, found {len(members)}")
            with archive.open(members[0]) as raw:
                yield f"{path.name}:{members[0].filename}", io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield path.name, fh


def header_of(path: Path) -> list[str]:
    with open_csv(path) as (_, fh):
        try:
            return next(csv.reader(fh), [])
        except (csv.Error, UnicodeDecodeError):
            return []


def gleif_kind(header: list[str]) -> GleifKind | None:
    if all(c in header for c in LEI_REQUIRED):
        return "lei"
    if all(c in header for c in RR_REQUIRED):
        return "rr"
    return None


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[str, int, dict[str, int], list[str]]]:
    """(label, line, column index, cells) per record; a short or long row or a broken quote is refused."""
    with open_csv(path) as (label, fh):
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, [])
            columns = {name: i for i, name in enumerate(header)}
            missing = [c for c in required if c not in columns]
            if missing:
                raise RelationsFormatError(label, f"missing column(s) {', '.join(missing)}", line=1)
            for cells in reader:
                if len(cells) != len(header):
                    if not any(cells):
                        continue
                    raise RelationsFormatError(label, f"row has {len(cells)} cells, header has {len(header)}",
                                               line=reader.line_num)
                yield label, reader.line_num, columns, cells
        except csv.Error as exc:
            raise RelationsFormatError(label, f"malformed CSV ({exc}); the file may be cut off",
                                       line=reader.line_num) from exc
        except UnicodeDecodeError as exc:
            raise RelationsFormatError(label, f"not UTF-8 text ({exc.reason})", line=reader.line_num + 1) from exc


@dataclass(frozen=True, slots=True)
class _LeiLayout:
    lei: int
    names: tuple[int, ...]
    countries: tuple[int, ...]
    status: int | None

    @classmethod
    def of(cls, columns: dict[str, int]) -> _LeiLayout:
        others = tuple(i for c, i in columns.items() if _OTHER_NAME.match(c))
        countries = tuple(columns[c] for c in ("Entity.LegalAddress.Country", "Entity.HeadquartersAddress.Country")
                          if c in columns)
        return cls(columns["LEI"], (columns["Entity.LegalName"], *others), countries,
                   columns.get("Entity.EntityStatus"))


def lei_records(path: Path) -> Iterator[LeiRecord]:
    layout: _LeiLayout | None = None
    for label, line, columns, cells in _rows(path, LEI_REQUIRED):
        layout = layout or _LeiLayout.of(columns)
        lei = cells[layout.lei].strip()
        if not _LEI.match(lei):
            raise RelationsFormatError(label, f"{lei!r} is not an LEI (20 characters, ISO 17442)", line=line,
                                       column="LEI")
        names = tuple(dict.fromkeys(n for n in (cells[i].strip() for i in layout.names) if n))
        country = next((cells[i].strip().upper() for i in layout.countries if cells[i].strip()), None)
        status = cells[layout.status].strip().upper() if layout.status is not None else "ACTIVE"
        yield LeiRecord(lei, names, country, status)


@dataclass(frozen=True, slots=True)
class _RrLayout:
    start: int
    end: int
    type: int
    status: int
    periods: tuple[tuple[int, int | None, int | None], ...]  # periodType, startDate, endDate
    shares: tuple[tuple[int, int], ...]  # QuantifierUnits, QuantifierAmount
    registration: tuple[int | None, ...]  # RegistrationStatus, ValidationSources, LastUpdateDate

    @classmethod
    def of(cls, columns: dict[str, int]) -> _RrLayout:
        periods = tuple((columns[c], columns.get(f"Relationship.Period.{m.group(1)}.startDate"),
                         columns.get(f"Relationship.Period.{m.group(1)}.endDate"))
                        for c in columns if (m := _PERIOD.match(c)))
        shares = tuple((columns[c], columns[a]) for c in columns if (m := _QUANTIFIER.match(c))
                       and (a := f"Relationship.Quantifiers.{m.group(1)}.QuantifierAmount") in columns)
        registration = tuple(columns.get(f"Registration.{c}")
                             for c in ("RegistrationStatus", "ValidationSources", "LastUpdateDate"))
        start, end, kind, status = (columns[c] for c in RR_REQUIRED)
        return cls(start, end, kind, status, periods, shares, registration)


def rr_records(path: Path) -> Iterator[RrRecord]:
    layout: _RrLayout | None = None
    for label, line, columns, cells in _rows(path, RR_REQUIRED):
        layout = layout or _RrLayout.of(columns)
        period = next(((s, e) for t, s, e in layout.periods if cells[t] == "RELATIONSHIP_PERIOD"), (None, None))
        share = next((cells[a] for u, a in layout.shares if cells[u] == "PERCENTAGE" and cells[a]), None)
        registration, validation, updated = (cells[i].strip() if i is not None else "" for i in layout.registration)
        yield RrRecord(line, cells[layout.start].strip(), cells[layout.end].strip(), cells[layout.type].strip(),
                       cells[layout.status].strip().upper(), _date(cells, period[0], label, line),
                       _date(cells, period[1], label, line), _percent(share, label, line), registration,
                       validation, updated)


def _date(cells: list[str], index: int | None, label: str, line: int) -> date | None:
    value = cells[index].strip() if index is not None else ""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RelationsFormatError(label, f"{value!r} is not an ISO date", line=line, column="period date") from exc


def _percent(value: str | None, label: str, line: int) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise RelationsFormatError(label, f"quantifier {value!r} is not a number", line=line,
                                   column="Relationship.Quantifiers.QuantifierAmount") from exc
