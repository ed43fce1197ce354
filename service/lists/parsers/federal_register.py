"""Federal Register API v1 document search results (`/api/v1/documents.json?conditions[term]=...`).

A search result is not a list: it names the notices that changed the UFLPA Entity List, and is read
only beside the DHS page to cite, for each entry, the Federal Register document of its listing.

Rule: the document of an effective date is the UFLPA Entity List notice (title naming the
"Entity List") published on that date or at most `WINDOW_DAYS` days before it, the latest such one.
DHS notices are published on the effective date or the day before (2024-12631: published
2024-06-11, effective 2024-06-12). The initial list of 2022-06-21 gets none: its appendix was
published later (FR Doc. 2022-16754, 2022-08-04), after the date it took effect.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from service.lists.errors import ListFormatError
from service.screening.model import ListEntry

WINDOW_DAYS = 7
REQUIRED = ("document_number", "publication_date")


@dataclass(frozen=True)
class FrDocument:
    document_number: str
    publication_date: date
    citation: str = ""  # "88 FR 38080"
    title: str = ""
    type: str = ""
    html_url: str = ""

    def cite(self) -> str:
        """`FR Doc. 2023-12481, 88 FR 38080 (2023-06-12)`."""
        volume = f", {self.citation}" if self.citation else ""
        return f"FR Doc. {self.document_number}{volume} ({self.publication_date.isoformat()})"


def looks_like_fr_json(head: str) -> bool:
    return head.lstrip().startswith("{") and '"results"' in head and '"document_number"' in head


def parse_fr_documents(text: str, *, file: str) -> list[FrDocument]:
    """Every document of the search result; refuses anything else naming what is missing."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListFormatError(file, f"invalid JSON ({exc.msg} at character {exc.colno}); the file may be "
                              "truncated", line=exc.lineno) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise ListFormatError(file, 'expected a Federal Register search result: an object with a "results" array',
                              line=1)
    documents = [_document(r, file=file, index=i) for i, r in enumerate(doc["results"])]
    if not documents:
        raise ListFormatError(file, "the Federal Register search result has no documents", line=1)
    return documents


def _document(r: Any, *, file: str, index: int) -> FrDocument:
    where = f"results[{index}]"
    if not isinstance(r, dict):
        raise ListFormatError(file, f"{where} is not an object", column=where)
    for key in REQUIRED:
        if not isinstance(r.get(key), str) or not r[key].strip():
            raise ListFormatError(file, f"{where} has no {key}", column=f"{where}.{key}")
    try:
        published = date.fromisoformat(r["publication_date"])
    except ValueError as exc:
        raise ListFormatError(file, f"{where}.publication_date {r['publication_date']!r} is not an ISO date",
                              column=f"{where}.publication_date") from exc

    def text(key: str) -> str:
        value = r.get(key)
        return value.strip() if isinstance(value, str) else ""

    return FrDocument(document_number=r["document_number"].strip(), publication_date=published,
                      citation=text("citation"), title=text("title"), type=text("type"), html_url=text("html_url"))


def document_for(effective: date, documents: Iterable[FrDocument]) -> FrDocument | None:
    """The Entity List notice published on `effective` or up to WINDOW_DAYS before it (the latest)."""
    window = [d for d in documents if "entity list" in d.title.lower()
              and effective - timedelta(days=WINDOW_DAYS) <= d.publication_date <= effective]
    return max(window, key=lambda d: (d.publication_date, d.document_number), default=None)


def attach_documents(entries: Sequence[ListEntry], documents: Sequence[FrDocument]) -> list[ListEntry]:
    """Each entry with the notice of each of its listing dates in its citation and `extra["federal_register"]`."""
    out = []
    for entry in entries:
        found = list(dict.fromkeys(d for d in (document_for(day, documents) for day in _dates(entry)) if d))
        if not found:
            out.append(entry)
            continue
        extra = {**entry.extra, "federal_register": "; ".join(
            f"{d.cite()}{' ' + d.html_url if d.html_url else ''}" for d in found)}
        citation = "; ".join([entry.citation or "", *(d.cite() for d in found)]).lstrip("; ")
        out.append(dataclasses.replace(entry, citation=citation, extra=extra))
    return out


def _dates(entry: ListEntry) -> list[date]:
    """The entry's effective dates: one per section (`section_dates`), else its listing date."""
    days = [date.fromisoformat(part.rsplit(": ", 1)[1]) for part in entry.extra.get("section_dates", "").split("; ")
            if ": " in part]
    if not days and entry.date_listed:
        days = [entry.date_listed]
    return sorted(set(days))
