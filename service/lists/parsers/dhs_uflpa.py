"""The DHS UFLPA Entity List page (dhs.gov/uflpa-entity-list), parsed as HTML with lxml.

Layout (shared/data/formats/README.md): inside `div.field--name-body`, one table per UFLPA section,
each after a paragraph whose link reads `Section 2(d)(2)(B)(i)` … `(v)`; header cells `Name of Entity`
or `Entity Name` and `Effective Date`. An entity listed in several sections has a row in each table:
the rows merge into one entry carrying every section (`legal_basis`), the earliest effective date
(`date_listed`) and each section's own date (`extra["section_dates"]`). Subsidiaries named in a cell
become entries of their own, linked to their parent (`extra["parent_entry_id"]`).

Anything that is not this page (a moved page, a login wall, an error page, a table without the
expected headers, an empty table, a date that does not parse) is refused naming what is missing,
so a changed page can never load as a short list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import lxml.html
from lxml.etree import ParserError, _Element

from service.lists.errors import ListFormatError
from service.lists.ids import provisional_id, unique_ids
from service.lists.parsers.dhs_names import CellError, NameCell, clean, parse_name_cell
from service.screening.model import UFLPA, ListEntry
from service.screening.normalize import fold

SECTION = re.compile(r"Section\s+2\s*\(d\)\s*\(2\)\s*\(B\)\s*\((i|ii|iii|iv|v)\)", re.IGNORECASE)
ROMAN = ("i", "ii", "iii", "iv", "v")
NAME_HEADERS = ("name of entity", "entity name", "name of the entity", "entity")
DATE_HEADERS = ("effective date", "date effective", "effective")
LAST_UPDATED = re.compile(r"Last\s+Updated:?\s*(\d{1,2}/\d{1,2}/\d{4}|\w+\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})",
                          re.IGNORECASE)
DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%m/%d/%Y", "%Y-%m-%d")
LEGAL_BASIS = "UFLPA Section 2(d)(2)(B)({})"
PAGE = "DHS UFLPA Entity List, dhs.gov/uflpa-entity-list"


@dataclass(frozen=True)
class DhsRow:
    section: str  # "i" … "v"
    cell: NameCell
    effective: date
    line: int


@dataclass
class _Entity:
    cell: NameCell
    key: str
    dates: dict[str, date] = field(default_factory=dict)  # section → effective date
    parent: str | None = None  # key of the parent entity


def looks_like_html(head: str) -> bool:
    start = head.lstrip("\ufeff \t\r\n")[:1024].lower()
    return start.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in start


@dataclass(frozen=True)
class DhsPage:
    entries: list[ListEntry]
    last_updated: date | None  # the page's own "Last Updated" date: what the version reflects


def read_dhs_page(text: str, *, source: str = UFLPA, file: str) -> DhsPage:
    """Every entity of the page as one entry (sections merged); raises ListFormatError if not the page."""
    doc = _document(text, file=file)
    if source != UFLPA:
        raise ListFormatError(file, f"{_what(doc)} is HTML: the only HTML list accepted is the DHS UFLPA Entity "
                              f"List page, as {UFLPA} (a moved page, login wall or error page instead of the "
                              f"{source} file?)", line=1)
    rows = read_rows(doc, file=file)
    return DhsPage(to_entries(rows, source=source), page_date(doc))


def parse_dhs_page(text: str, *, source: str = UFLPA, file: str) -> list[ListEntry]:
    return read_dhs_page(text, source=source, file=file).entries


def _document(text: str, *, file: str) -> _Element:
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ParserError, ValueError) as exc:
        raise ListFormatError(file, f"not a readable HTML page ({exc})") from exc
    return doc


def _body(doc: _Element, *, file: str) -> _Element:
    found = doc.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " field--name-body ")]')
    if not found:
        raise ListFormatError(file, f"{_what(doc)} has no div.field--name-body: not the DHS UFLPA Entity List "
                              "page (moved page, login wall or error page?)", line=1)
    body: _Element = found[0]
    return body


def _what(doc: _Element) -> str:
    title = clean(" ".join(doc.xpath("//title//text()"))) or clean(" ".join(doc.xpath("//h1//text()")))
    return f"the page titled {title!r}" if title else "the page"


def read_rows(doc: _Element, *, file: str) -> list[DhsRow]:
    """The rows of every section table, in page order, each with its section."""
    body = _body(doc, file=file)
    section: str | None = None
    rows: list[DhsRow] = []
    tables = 0
    for el in body.iter("a", "table", "p", "h2", "h3", "h4", "strong"):
        if el.tag != "table":
            if el.tag == "a" or not el.xpath(".//a"):
                if match := SECTION.search(clean(el.text_content())):
                    section = match.group(1).lower()
            continue
        tables += 1
        if section is None:
            raise ListFormatError(file, "a table has no 'Section 2(d)(2)(B)(…)' link before it", line=el.sourceline)
        rows.extend(_table_rows(el, section, file=file))
    if not tables:
        raise ListFormatError(file, f"{_what(doc)} has no entity tables: not the DHS UFLPA Entity List page "
                              "(moved page, login wall or error page?)", line=1)
    return rows


def _table_rows(table: _Element, section: str, *, file: str) -> list[DhsRow]:
    trs = table.xpath(".//tr")
    where = f"table of Section 2(d)(2)(B)({section})"
    header_tr = next((tr for tr in trs if tr.xpath("./th")), trs[0] if trs else None)
    if header_tr is None:
        raise ListFormatError(file, f"{where} is empty", line=table.sourceline)
    headers = [clean(c.text_content()).lower().rstrip(":") for c in header_tr.xpath("./th|./td")]
    name_col = next((i for i, h in enumerate(headers) if h in NAME_HEADERS), None)
    date_col = next((i for i, h in enumerate(headers) if h in DATE_HEADERS), None)
    if name_col is None or date_col is None:
        raise ListFormatError(file, f"{where} lacks the 'Name of Entity'/'Entity Name' and 'Effective Date' "
                              f"headers (found {headers})", line=header_tr.sourceline)
    rows = []
    for tr in trs[trs.index(header_tr) + 1:]:
        cells = [clean(c.text_content()) for c in tr.xpath("./th|./td")]
        if not any(cells):
            continue
        if len(cells) <= max(name_col, date_col):
            raise ListFormatError(file, f"{where}: row has {len(cells)} cells, expected {len(headers)}",
                                  line=tr.sourceline)
        try:
            cell = parse_name_cell(cells[name_col])
        except CellError as exc:
            raise ListFormatError(file, f"{where}: {exc}", line=tr.sourceline, column=headers[name_col]) from exc
        rows.append(DhsRow(section, cell, _date(cells[date_col], file=file, line=tr.sourceline, where=where),
                           tr.sourceline))
    if not rows:
        raise ListFormatError(file, f"{where} has no rows", line=table.sourceline)
    return rows


def parse_date(value: str) -> date | None:
    text = clean(value).replace("Sept.", "Sep.").replace("Sept ", "Sep ")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _date(value: str, *, file: str, line: int, where: str) -> date:
    parsed = parse_date(value)
    if parsed is None:
        raise ListFormatError(file, f"{where}: effective date {value!r} is not a date like 'June 21, 2022'",
                              line=line, column="Effective Date")
    return parsed


def page_date(doc: _Element) -> date | None:
    """The page's own "Last Updated" date, when it shows one."""
    match = LAST_UPDATED.search(clean(doc.text_content()))
    return parse_date(match.group(1)) if match else None


def to_entries(rows: list[DhsRow], *, source: str) -> list[ListEntry]:
    """Merge rows of the same entity across sections; named subsidiaries become their own entities."""
    entities: dict[str, _Entity] = {}
    for row in rows:
        parent = _merge(entities, row.cell, row, parent=None)
        for sub in row.cell.subsidiaries:
            _merge(entities, sub, row, parent=parent.key)
    ids = dict(zip(entities, unique_ids([provisional_id("dhs", e.cell.name) for e in entities.values()]),
                   strict=True))
    children: dict[str, list[str]] = {}
    for ent in entities.values():
        if ent.parent:
            children.setdefault(ent.parent, []).append(ids[ent.key])
    return [_entry(ent, ids, children.get(ent.key, []), source=source) for ent in entities.values()]


def _merge(entities: dict[str, _Entity], cell: NameCell, row: DhsRow, *, parent: str | None) -> _Entity:
    key = fold(cell.name)
    ent = entities.get(key)
    if ent is None:
        ent = entities[key] = _Entity(cell=replace(cell, subsidiaries=()), key=key, parent=parent)
    else:
        ent.cell = _union(ent.cell, cell)
        ent.parent = ent.parent or parent
    ent.dates[row.section] = min(ent.dates.get(row.section, row.effective), row.effective)
    return ent


def _union(a: NameCell, b: NameCell) -> NameCell:
    return NameCell(name=a.name, aliases=tuple(dict.fromkeys(a.aliases + b.aliases)),
                    former_names=tuple(dict.fromkeys(a.former_names + b.former_names)),
                    listing_scope=a.listing_scope or b.listing_scope)


def _entry(ent: _Entity, ids: dict[str, str], children: list[str], *, source: str) -> ListEntry:
    sections = [s for s in ROMAN if s in ent.dates]
    basis = "; ".join(LEGAL_BASIS.format(s) for s in sections)
    first = min(ent.dates.values())
    extra = {"section_dates": "; ".join(f"2(d)(2)(B)({s}): {ent.dates[s].isoformat()}" for s in sections)}
    if ent.cell.former_names:
        extra["former_names"] = "; ".join(ent.cell.former_names)
    if ent.cell.listing_scope:
        extra["listing_scope"] = ent.cell.listing_scope
    if ent.parent:
        extra["parent_entry_id"] = ids[ent.parent]
    if children:
        extra["subsidiary_entry_ids"] = "; ".join(children)
    return ListEntry(
        source=source, entry_id=ids[ent.key], name=ent.cell.name, entity_type="company",
        aliases=ent.cell.aliases, date_listed=first, legal_basis=basis,
        citation=citation(basis, ent.dates), xinjiang_linked=True, extra=extra,
    )


def citation(basis: str, dates: dict[str, date]) -> str:
    """"DHS UFLPA Entity List, dhs.gov/uflpa-entity-list, <sections>, effective <date(s)>".

    The page's "Last Updated" date is not in it: it changes whenever any entity is added, and a
    citation that changed on every entry would void every analyst decision (they are bound to the
    entry's content). It is the version's date instead (`DhsPage.last_updated`)."""
    effective = ", ".join(sorted({d.isoformat() for d in dates.values()}))
    return f"{PAGE}, {basis}, effective {effective}"
