"""Render the shipped snapshot rows back into the official publications' layouts, for round-trip tests.

`render_dhs_page` writes the DHS UFLPA Entity List page as dhs.gov lays it out (one table per section
after a paragraph with the `Section 2(d)(2)(B)(…)` link, `&nbsp;` inside names, aliases in the
"including N aliases" prose, the shipped `listing_scope`); `render_cbp_csv` writes the CBP WRO/Findings
dataset CSV (UTF-8 with BOM, the dataset's header). Nothing is added that the rows do not hold.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"
ROMAN = ("i", "ii", "iii", "iv", "v")
WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
SECTION_TEXT = {
    "i": "A list of entities in Xinjiang that mine, produce, or manufacture wholly or in part any goods, wares, "
         "articles and merchandise with forced labor",
    "ii": "A list of entities working with the government of Xinjiang to recruit, transport, transfer, harbor or "
          "receive forced labor or Uyghurs, Kazakhs, Kyrgyz, or members of other persecuted groups out of Xinjiang",
    "iii": "A list of products made by entities in Xinjiang",
    "iv": "A list of entities that exported products from the PRC into the United States",
    "v": "A list of facilities and entities, including the Xinjiang Production and Construction Corps, that source "
         "material from Xinjiang or from persons working with the government of Xinjiang",
}
CBP_HEADER = ("Effective Date", "Calendar Year", "Country Code", "Country", "Merchandise", "WRO/Finding", "Industry",
              "Status", "Press Release", "Entity", "Remarks", "Modified Date")


def snapshot_rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sections_of(row: Mapping[str, str]) -> list[str]:
    basis = row["legal_basis_or_section"]
    return [s for s in ROMAN if f"2(d)(2)(B)({s})" in basis]


def _count(n: int, word: str) -> str:
    return f"{WORDS[n] if n < len(WORDS) else n} {word}{'es' if n != 1 else ''}"


def _series(names: Sequence[str], sep: str = "; ") -> str:
    return names[0] if len(names) == 1 else sep.join(names[:-1]) + f"{sep}and {names[-1]}"


def name_cell(row: Mapping[str, str], *, nbsp: bool, former: bool = False,
              subsidiaries: Sequence[Mapping[str, str]] = (), place: str = "") -> str:
    name = html.escape(row["name"])
    if nbsp:
        name = name.replace(" ", "&nbsp;", 1)
    aliases = [html.escape(a) for a in row["aliases"].split("|") if a]
    if aliases and former:
        name += f" (formerly known as {_series(aliases)})"
    elif aliases:
        name += f" (including {_count(len(aliases), 'alias')}: {_series(aliases)})"
    if subsidiaries:
        subs = [html.escape(s["name"]) for s in subsidiaries]
        name += (f" and its {WORDS[len(subs)]} {place}-based subsidiaries, which include "
                 f"{_series(subs, sep=', ')}")
    if row.get("listing_scope"):
        name += f" {html.escape(row['listing_scope'])}"
    return name


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year}"


def render_dhs_page(rows: Iterable[Mapping[str, str]], *, last_updated: str = "09/29/2026",
                    former: frozenset[str] = frozenset(),
                    parents: Mapping[str, tuple[str, Sequence[str]]] | None = None) -> str:
    """The page; `former` ids get "formerly known as" prose, `parents` maps a parent id to
    (place, subsidiary ids) named in its cell instead of in rows of their own."""
    rows, parents = list(rows), parents or {}
    by_id = {r["list_id"]: r for r in rows}
    inside = {sub for _, subs in parents.values() for sub in subs}
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>UFLPA Entity List | Homeland '
             'Security</title></head><body>\n<main id="main-content"><h1 class="page-title">UFLPA Entity List</h1>\n'
             '<div class="field--name-body">\n<p>The UFLPA Entity List is maintained by the FLETF.</p>']
    for i, section in enumerate(ROMAN):
        members = [r for r in rows if section in sections_of(r) and r["list_id"] not in inside]
        if not members:
            continue
        header = "Entity Name" if section == "v" else "Name of Entity"
        parts.append(f'<p class="text-align-center"><strong>{SECTION_TEXT[section]}</strong><br>'
                     f'<a href="https://www.govinfo.gov/app/details/PLAW-117publ78">Section 2(d)(2)(B)({section})</a>'
                     f'</p>\n<table class="usa-table"><thead><tr><th>{header}</th><th>Effective Date</th></tr></thead>'
                     "<tbody>")
        for n, row in enumerate(members):
            place, subs = parents.get(row["list_id"], ("", ()))
            cell = name_cell(row, nbsp=(n + i) % 2 == 0, former=row["list_id"] in former,
                             subsidiaries=[by_id[s] for s in subs], place=place)
            parts.append(f"<tr><td>{cell}</td><td>{_long_date(row['date_added'])}</td></tr>")
        parts.append("</tbody></table>")
    parts.append(f'<p class="text-align-right"><em>Last Updated: {last_updated}</em></p></div></main></body></html>')
    return "\n".join(parts)


def cbp_row(row: Mapping[str, str], *, country: str = "China", status: str = "Active") -> list[str]:
    effective = row["date_added"]
    us_date = f"{effective[5:7]}/{effective[8:10]}/{effective[:4]}" if effective else ""
    entity = " a/k/a ".join([row["name"], *(a for a in row["aliases"].split("|") if a)])
    return [us_date, effective[:4], row["country"], country, "", row["order_type"], "", status, "", entity, "", ""]


def render_cbp_csv(rows: Iterable[Mapping[str, str]], extra_rows: Iterable[Sequence[str]] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CBP_HEADER)
    writer.writerows(cbp_row(r) for r in rows)
    writer.writerows(extra_rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
