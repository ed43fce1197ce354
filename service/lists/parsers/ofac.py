"""OFAC's legacy SDN CSV trio: `sdn.csv`, `alt.csv` (aliases) and `add.csv` (addresses).

No header row; `-0-` (usually `-0- `) stands for an empty cell; the files are Latin-1/cp1252 by
definition, so bytes undefined in cp1252 are refused. Accepted as a directory, a zip (as OFAC
ships `sdall.zip`) or the files themselves in any order; each file's role comes from its name
(`*sdn.csv`, `*alt.csv`, `*add.csv`) or else from its column count (12, 5, 6).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.lists.errors import ListFormatError
from service.lists.parsers.common import check_width, csv_records
from service.lists.parsers.countries import to_iso2
from service.lists.parsers.text import decode
from service.screening.model import OFAC_SDN, ListEntry
from service.screening.vocabulary import EntityType

SDN_COLUMNS = ("ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
               "GRT", "Vess_flag", "Vess_owner", "Remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")
LAYOUTS = {"sdn": SDN_COLUMNS, "alt": ALT_COLUMNS, "add": ADD_COLUMNS}
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # far above the real sdn.csv (~10 MB); refuses zip bombs
MAX_RATIO = 100  # CSV text deflates 5-10x; a ratio above 100 is a bomb, not a list
ENTITY_TYPES: dict[str, EntityType] = {
    "": "company", "entity": "company", "individual": "person", "vessel": "vessel", "aircraft": "unknown",
}
LEGAL_BASES = {
    "GLOMAG": "E.O. 13818 (Global Magnitsky)",
    "MAGNIT": "Sergei Magnitsky Rule of Law Accountability Act of 2012",
    "CUBA": "Cuban Assets Control Regulations, 31 C.F.R. part 515 (TWEA)",
    "SDNTK": "Foreign Narcotics Kingpin Designation Act",
}
EXTRA_COLUMNS = ("Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner")


@dataclass(frozen=True, slots=True)
class OfacFile:
    """One file of the trio: `name` is what errors call it (`sdall.zip:SDN.CSV` for a zip member)."""

    name: str
    data: bytes


def looks_like_ofac(head: bytes) -> bool:
    """Headerless CSV whose first cell is a number (an ent_num)."""
    return re.match(rb"\s*\d+,", head) is not None


def role_by_name(name: str) -> str | None:
    """'sdn', 'alt' or 'add' for `sdn.csv`, `ofac_alt.csv`, `sdall.zip:ADD.CSV`..."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()
    return next((role for role in LAYOUTS if base.endswith(f"{role}.csv")), None)


def ofac_role(name: str, data: bytes) -> str | None:
    """The file's role from its name, else from its first record's cell count."""
    if role_by_name(name) or not looks_like_ofac(data[:4096]):
        return role_by_name(name)
    first = data.split(b"\n", 1)[0].decode("cp1252", errors="replace")
    try:
        width = len(next(csv.reader([first]), []))
    except csv.Error:
        return None
    return next((role for role, cols in LAYOUTS.items() if len(cols) == width), None)


def read_ofac(paths: Sequence[Path], *, source: str = OFAC_SDN) -> list[ListEntry]:
    """Parse a directory, a zip, or the CSV files of the trio given in any order."""
    if len(paths) == 1 and paths[0].is_dir():
        files = [OfacFile(p.name, p.read_bytes()) for p in sorted(paths[0].iterdir())
                 if p.is_file() and p.suffix.lower() == ".csv"]
        return parse_ofac(_assign(files, origin=paths[0].name, strict=False), source=source)
    if len(paths) == 1 and zipfile.is_zipfile(paths[0]):
        return parse_ofac(_assign(zip_members(paths[0]), origin=paths[0].name, strict=False), source=source)
    files = [OfacFile(p.name, p.read_bytes()) for p in paths]
    return parse_ofac(_assign(files, origin=", ".join(p.name for p in paths), strict=True), source=source)


def zip_members(path: Path) -> list[OfacFile]:
    """The `.csv` members of a zip, refusing oversized or suspiciously compressed ones."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [_read_member(archive, info, path.name) for info in archive.infolist()
                    if not info.is_dir() and info.filename.lower().endswith(".csv")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ListFormatError(path.name, f"not a readable zip archive: {exc}") from exc


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, zip_name: str) -> OfacFile:
    label = f"{zip_name}:{info.filename}"
    if info.file_size > MAX_MEMBER_BYTES:
        raise ListFormatError(label, f"declared size {info.file_size} bytes exceeds {MAX_MEMBER_BYTES}")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ListFormatError(label, f"compression ratio above {MAX_RATIO}: refused as a possible zip bomb")
    with archive.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ListFormatError(label, f"uncompressed size exceeds {MAX_MEMBER_BYTES} bytes")
    return OfacFile(label, data)


def _assign(files: Sequence[OfacFile], *, origin: str, strict: bool) -> dict[str, OfacFile]:
    """Map files to roles; in a directory or zip, files named like the trio win over other CSVs."""
    named = [f for f in files if role_by_name(f.name)]
    if not strict and named:
        files = named
    roles: dict[str, OfacFile] = {}
    for f in files:
        role = ofac_role(f.name, f.data)
        if role is None:
            if strict:
                raise ListFormatError(f.name, "not an OFAC sdn.csv, alt.csv or add.csv (headerless CSV "
                                      "with 12, 5 or 6 columns)", line=1)
            continue
        if role in roles:
            raise ListFormatError(f.name, f"two OFAC {role}.csv files given: {roles[role].name} and {f.name}")
        roles[role] = f
    if "sdn" not in roles:
        raise ListFormatError(origin, "no OFAC sdn.csv found (expected sdn.csv, alt.csv and add.csv)")
    return roles


def parse_ofac(files: dict[str, OfacFile], *, source: str = OFAC_SDN) -> list[ListEntry]:
    """Parse the trio ({'sdn': ..., 'alt': ..., 'add': ...}; alt and add optional) into entries."""
    sdn = {row["ent_num"]: row for row in _rows(files["sdn"], "sdn", known=None)}
    aliases: dict[str, list[str]] = {ent: [] for ent in sdn}
    addresses: dict[str, list[dict[str, str]]] = {ent: [] for ent in sdn}
    if "alt" in files:
        for row in _rows(files["alt"], "alt", known=sdn):
            aliases[row["ent_num"]].append(row["alt_name"])
    if "add" in files:
        for row in _rows(files["add"], "add", known=sdn):
            addresses[row["ent_num"]].append(row)
    return [_entry(row, aliases[ent], addresses[ent], source=source) for ent, row in sdn.items()]


def _rows(f: OfacFile, role: str, *, known: dict[str, dict[str, str]] | None) -> list[dict[str, str]]:
    columns = LAYOUTS[role]
    text = decode(f.data, file=f.name, encoding="cp1252").rstrip("\x1a\r\n ")
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for line, cells in csv_records(text, file=f.name):
        check_width(cells, len(columns), file=f.name, line=line)
        row = {col: _clean(cell) for col, cell in zip(columns, cells, strict=True)}
        ent = row["ent_num"]
        if not ent.isdigit():
            raise ListFormatError(f.name, f"ent_num {ent!r} is not a number", line=line, column="ent_num")
        if known is None:
            if ent in seen:
                raise ListFormatError(f.name, f"duplicate ent_num {ent}", line=line, column="ent_num")
            if not row["SDN_Name"]:
                raise ListFormatError(f.name, "empty SDN_Name", line=line, column="SDN_Name")
            seen.add(ent)
        elif ent not in known:
            raise ListFormatError(f.name, f"ent_num {ent} is not in the sdn.csv given", line=line,
                                  column="ent_num")
        elif role == "alt" and not row["alt_name"]:
            raise ListFormatError(f.name, "empty alt_name", line=line, column="alt_name")
        rows.append(row)
    return rows


def _clean(cell: str) -> str:
    value = cell.strip()
    return "" if value == "-0-" else value


def _entry(row: dict[str, str], aliases: list[str], addresses: list[dict[str, str]], *,
           source: str) -> ListEntry:
    programs = normalise_programs(row["Program"])
    countries = [c for c in (to_iso2(a["country"]) for a in addresses) if c]
    extra = {col.lower(): row[col] for col in EXTRA_COLUMNS if row[col]}
    if len(set(countries)) > 1:
        extra["countries"] = "; ".join(dict.fromkeys(countries))
    return ListEntry(
        source=source,
        entry_id=row["ent_num"],
        name=row["SDN_Name"],
        entity_type=ENTITY_TYPES.get(row["SDN_Type"].lower(), "unknown"),
        aliases=tuple(a for a in dict.fromkeys(aliases) if a != row["SDN_Name"]),
        addresses=tuple(s for s in (_address(a) for a in addresses) if s),
        city=next((a["city_state_postal"] for a in addresses if a["city_state_postal"]), None),
        country=countries[0] if countries else None,
        legal_basis=legal_basis(programs),
        citation=f"OFAC Specially Designated Nationals list (sdn.csv ent_num {row['ent_num']})",
        remarks=row["Remarks"] or None,
        program="; ".join(programs) or None,
        extra=extra,
    )


def _address(row: dict[str, str]) -> str:
    return ", ".join(v for v in (row["address"], row["city_state_postal"], row["country"]) if v)


def normalise_programs(value: str) -> list[str]:
    """`"SDGT] [GLOMAG"` → `["GLOMAG", "SDGT"]` (sorted, de-duplicated)."""
    return sorted({p.strip(" []") for p in re.split(r"\]\s*\[", value) if p.strip(" []")})


def legal_basis(programs: Sequence[str]) -> str | None:
    """GLOMAG → E.O. 13818; a few other well-known programs by name; the rest IEEPA programs."""
    parts = [LEGAL_BASES.get(p, f"OFAC SDN program {p} (IEEPA)") for p in programs]
    return "; ".join(parts) or None
