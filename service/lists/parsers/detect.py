"""Which upstream format a list file is, decided from its content; and a content hash of a parse.

`parse_list_files` is what `flrisk lists update` calls: it accepts every format below, refuses
anything else naming the accepted ones, and returns the whole list or raises ListFormatError.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from service.lists.errors import ListFormatError
from service.lists.parsers.cbp_wro import looks_like_cbp_header, parse_cbp_csv
from service.lists.parsers.csl import looks_like_csl_header, parse_csl_csv, parse_csl_json
from service.lists.parsers.dhs_uflpa import looks_like_html, parse_dhs_page
from service.lists.parsers.federal_register import attach_documents, looks_like_fr_json, parse_fr_documents
from service.lists.parsers.ftm import looks_like_ftm, parse_ftm
from service.lists.parsers.ofac import looks_like_ofac, ofac_role, read_ofac
from service.lists.parsers.snapshot_csv import looks_like_snapshot_csv, parse_snapshot_csv
from service.lists.parsers.text import decode
from service.lists.parsers.xinjiang_tag import tag_xinjiang
from service.screening.model import UFLPA, ListEntry

Format = Literal["ofac", "snapshot", "csl_csv", "csl_json", "ftm", "dhs_uflpa", "cbp_csv"]
ACCEPTED = (
    "OFAC legacy SDN CSV trio (sdn.csv, alt.csv, add.csv: a directory, a .zip, or the files themselves)",
    "flrisk snapshot CSV (header with list_id and name)",
    "trade.gov Consolidated Screening List CSV (header with source, name and entity_number or _id)",
    'trade.gov Consolidated Screening List JSON (an object with a "results" array)',
    "OpenSanctions FollowTheMoney entities, JSON lines (objects with schema and properties)",
    "DHS UFLPA Entity List page (HTML, dhs.gov/uflpa-entity-list), optionally with Federal Register document "
    "search results (JSON) to cite the notice of each listing",
    "CBP Withhold Release Orders and Findings dataset CSV (header with Entity and WRO/Finding)",
)
_TEXT_PARSERS: dict[str, Callable[..., list[ListEntry]]] = {
    "snapshot": parse_snapshot_csv, "csl_csv": parse_csl_csv, "csl_json": parse_csl_json, "ftm": parse_ftm,
    "dhs_uflpa": parse_dhs_page, "cbp_csv": parse_cbp_csv,
}
FR_ALONE = ("a Federal Register document search result is not a list: give it with the DHS UFLPA Entity List "
            "page (--from <page.html> --from <documents.json>) to cite the notice of each listing")


def parse_list_files(paths: Sequence[Path], *, source: str,
                     mentions_xinjiang: Callable[[str], bool] | None = None) -> list[ListEntry]:
    """Parse one list from `paths` (one file, the OFAC trio / its directory / zip, or the DHS page with
    Federal Register search results).

    Entries of the UFLPA source are Xinjiang-linked by definition; with `mentions_xinjiang`, entries
    of other sources are tagged when their program, addresses, city, remarks or names mention Xinjiang.
    """
    fmt = detect_format(paths)
    label = ", ".join(p.name for p in paths)
    if fmt == "ofac":
        entries = read_ofac(paths, source=source)
    else:
        page, documents = split_page_and_documents(paths) if fmt == "dhs_uflpa" else (paths[0], [])
        text = decode(page.read_bytes(), file=page.name)
        entries = _TEXT_PARSERS[fmt](text, source=source, file=page.name)
        for path in documents:
            entries = attach_documents(entries, parse_fr_documents(decode(path.read_bytes(), file=path.name),
                                                                   file=path.name))
    if not entries:
        raise ListFormatError(label, "no entries found")
    if source == UFLPA:
        entries = [dataclasses.replace(e, xinjiang_linked=True) for e in entries]
    if mentions_xinjiang is not None:
        entries = tag_xinjiang(entries, mentions_xinjiang)
    return entries


def detect_format(paths: Sequence[Path]) -> Format:
    """The format of `paths` from their content (names only break ties within the OFAC trio)."""
    if not paths:
        raise ListFormatError("(no file)", "no list file given")
    for path in paths:
        if not path.exists():
            raise ListFormatError(path.name, "no such file or directory")
    if len(paths) > 1:
        if any(not p.is_dir() and _sniff(_head(p, 65536)) in ("dhs_uflpa", "fr_json") for p in paths):
            split_page_and_documents(paths)
            return "dhs_uflpa"
        for path in paths:
            if path.is_dir() or ofac_role(path.name, _head(path)) is None:
                raise ListFormatError(path.name, "several files are accepted only as the OFAC sdn.csv, "
                                      "alt.csv and add.csv trio, or as the DHS UFLPA Entity List page with "
                                      "Federal Register search results; this is not one of them")
        return "ofac"
    path = paths[0]
    if path.is_dir() or zipfile.is_zipfile(path):
        return "ofac"
    data = path.read_bytes()
    if not data.strip():
        raise ListFormatError(path.name, "file is empty")
    fmt = _sniff(data)
    if fmt == "fr_json":
        raise ListFormatError(path.name, FR_ALONE, line=1)
    if fmt is None:
        raise ListFormatError(path.name, "unrecognised list format; accepted: " + "; ".join(ACCEPTED), line=1)
    return fmt


def split_page_and_documents(paths: Sequence[Path]) -> tuple[Path, list[Path]]:
    """(the DHS page, the Federal Register search results) of a multi-file UFLPA update, or refuse."""
    pages, documents = [], []
    for path in paths:
        fmt = None if path.is_dir() else _sniff(_head(path, 65536))
        if fmt == "dhs_uflpa":
            pages.append(path)
        elif fmt == "fr_json":
            documents.append(path)
        else:
            raise ListFormatError(path.name, "given with the DHS page, every other file must be a Federal "
                                  "Register document search result (JSON with results[].document_number)")
    if len(pages) != 1:
        names = ", ".join(p.name for p in pages) or "none"
        raise ListFormatError(", ".join(p.name for p in paths), "expected exactly one DHS UFLPA Entity List page "
                              f"(HTML) with the Federal Register search results; pages given: {names}")
    return pages[0], documents


def _head(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def _sniff(data: bytes) -> Format | Literal["fr_json"] | None:
    if looks_like_ofac(data[:4096]):
        return "ofac"
    head = data[:65536].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    first = head.split("\n", 1)[0]
    if looks_like_html(head):
        return "dhs_uflpa"
    if head.startswith(("{", "[")):
        if looks_like_ftm(first):
            return "ftm"
        if looks_like_fr_json(head):
            return "fr_json"
        return "csl_json" if '"results"' in head else None
    if looks_like_snapshot_csv(head):
        return "snapshot"
    try:
        header = next(csv.reader([first.rstrip("\r")]), [])
    except csv.Error:
        return None
    if looks_like_cbp_header(header):
        return "cbp_csv"
    return "csl_csv" if looks_like_csl_header(header) else None


def content_hash(entries: Iterable[ListEntry]) -> str:
    """sha256 of the entries as canonical JSON, sorted by entry_id: a re-download of identical content
    hashes the same whatever the upstream row order."""
    rows = sorted((_canonical(e) for e in entries), key=lambda row: (row["entry_id"], row["source"]))
    blob = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _canonical(entry: ListEntry) -> dict[str, Any]:
    row = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)}
    row["date_listed"] = entry.date_listed.isoformat() if entry.date_listed else None
    row["extra"] = dict(sorted(entry.extra.items()))
    return {k: list(v) if isinstance(v, tuple) else v for k, v in row.items()}
