"""Parsers of the official publications: the DHS UFLPA Entity List page, the CBP WRO/Findings dataset CSV
and Federal Register search results; against the real-layout samples and the shipped rows rendered back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.cbp_wro import parse_cbp_csv
from service.lists.parsers.detect import detect_format, parse_list_files
from service.lists.parsers.dhs_uflpa import parse_dhs_page, read_dhs_page
from service.lists.parsers.federal_register import attach_documents, document_for, parse_fr_documents
from service.screening.model import ListEntry
from service.screening.normalize import fold
from tests.lists.official_layout import render_cbp_csv, render_dhs_page, snapshot_rows

DATA = Path(__file__).parent.parent / "data" / "formats"
PAGE = DATA / "dhs_uflpa_entity_list.html"
FR = DATA / "federal_register_documents.json"
CBP = DATA / "cbp_wro_findings.csv"
UFLPA = "uflpa_entity_list"


def by_name(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {fold(e.name): e for e in entries}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


class TestDhsSample:
    def test_entities_merged_across_sections(self) -> None:
        page = read_dhs_page(PAGE.read_text("utf-8"), file=PAGE.name)
        entries = by_name(page.entries)
        assert len(page.entries) == 13  # 18 table rows; 5 entities sit in two or three tables
        assert page.last_updated == date(2026, 9, 29)
        xpcc = entries["xinjiang production and construction corps"]
        assert xpcc.legal_basis == ("UFLPA Section 2(d)(2)(B)(i); UFLPA Section 2(d)(2)(B)(ii); "
                                    "UFLPA Section 2(d)(2)(B)(v)")
        assert xpcc.aliases == ("XPCC", "Xinjiang Corps", "Bingtuan")
        assert xpcc.date_listed == date(2022, 6, 21)
        assert xpcc.xinjiang_linked is True
        assert xpcc.citation == ("DHS UFLPA Entity List, dhs.gov/uflpa-entity-list, UFLPA Section 2(d)(2)(B)(i); "
                                 "UFLPA Section 2(d)(2)(B)(ii); UFLPA Section 2(d)(2)(B)(v), effective 2022-06-21")

    def test_scope_nbsp_and_per_section_dates(self) -> None:
        entries = by_name(parse_dhs_page(PAGE.read_text("utf-8"), file=PAGE.name))
        hoshine = entries["hoshine silicon industry shanshan co ltd"]
        assert hoshine.name == "Hoshine Silicon Industry (Shanshan) Co., Ltd"
        assert hoshine.aliases == ("Hesheng Silicon Industry (Shanshan) Co.",)
        assert hoshine.extra["listing_scope"] == "and subsidiaries"
        assert entries["baoding lyszd trade and business co ltd"].name == "Baoding LYSZD Trade and Business Co., Ltd."
        assert entries["xinjiang east hope nonferrous metals co ltd"].extra["section_dates"] == (
            "2(d)(2)(B)(i): 2024-11-25")

    def test_earliest_date_wins_and_each_section_keeps_its_own(self) -> None:
        text = PAGE.read_text("utf-8").replace(
            "<tr><td>Chenguang Biotech Group Co., Ltd.</td><td>August 2, 2023</td></tr>",
            "<tr><td>Chenguang Biotech Group Co., Ltd.</td><td>August 2, 2023</td></tr>"
            "<tr><td>Ninestar&nbsp;Corporation</td><td>January 15, 2025</td></tr>")
        ninestar = by_name(parse_dhs_page(text, file="p.html"))["ninestar corporation"]
        assert ninestar.date_listed == date(2023, 6, 12)
        assert ninestar.extra["section_dates"] == "2(d)(2)(B)(ii): 2023-06-12; 2(d)(2)(B)(v): 2025-01-15"
        assert ninestar.citation.endswith("effective 2023-06-12, 2025-01-15")

    def test_extra_columns_and_header_spacing_tolerated(self) -> None:
        text = (PAGE.read_text("utf-8")
                .replace("<th>Name of Entity</th><th>Effective Date</th>",
                         "<th>#</th><th> Name&nbsp;of Entity </th><th>Notes</th><th>Effective\n Date</th>", 1)
                .replace("<tr><td>Baoding&nbsp;LYSZD Trade and Business Co., Ltd.</td><td>June 21, 2022</td></tr>",
                         "<tr><td>1</td><td>Baoding&nbsp;LYSZD Trade and Business Co., Ltd.</td><td></td>"
                         "<td>June 21, 2022</td></tr>", 1))
        text = text.replace("<tr><td>Hetian", "<tr><td>2</td><td>Hetian", 1).replace(
            "Hollin Hair Accessories)</td>", "Hollin Hair Accessories)</td><td>x</td>", 1)
        text = text.replace("<tr><td>Hoshine", "<tr><td>3</td><td>Hoshine", 1).replace(
            "and subsidiaries</td>", "and subsidiaries</td><td></td>", 1)
        for n, first in enumerate(("Xinjiang East", "Xinjiang&nbsp;Production", "Xinjiang Daqo"), start=4):
            text = text.replace(f"<tr><td>{first}", f"<tr><td>{n}</td><td>{first}", 1)
        text = text.replace("</td><td>November 25, 2024", "</td><td></td><td>November 25, 2024", 1)
        text = text.replace("Bingtuan)</td><td>June", "Bingtuan)</td><td></td><td>June", 1)
        text = text.replace("Daqin Energy Co., Ltd.)</td><td>June", "Daqin Energy Co., Ltd.)</td><td></td><td>June", 1)
        assert len(parse_dhs_page(text, file="p.html")) == 13


class TestDhsRefusals:
    @pytest.mark.parametrize(("page", "message"), [
        ("<!DOCTYPE html><html><head><title>Page Not Found | Homeland Security</title></head><body>"
         "<h1>Page not found</h1><p>The page you requested has moved.</p></body></html>",
         "the page titled 'Page Not Found | Homeland Security' has no div.field--name-body"),
        ("<html><head><title>Sign in</title></head><body><form action='/login'><input name='user'>"
         "<input type='password' name='pw'></form></body></html>",
         "the page titled 'Sign in' has no div.field--name-body: not the DHS UFLPA Entity List page"),
        ("<html><head><title>503 Service Unavailable</title></head><body><div class='field--name-body'>"
         "<p>Try again later.</p></div></body></html>",
         "'503 Service Unavailable' has no entity tables"),
    ])
    def test_not_the_page(self, page: str, message: str) -> None:
        with pytest.raises(ListFormatError, match=message):
            parse_dhs_page(page, file="uflpa.html")

    def test_empty_table(self) -> None:
        text = PAGE.read_text("utf-8")
        start = text.index("<tbody>", text.index("Section 2(d)(2)(B)(ii)"))
        text = text[:start] + "<tbody>" + text[text.index("</tbody>", start):]
        with pytest.raises(ListFormatError, match=r"table of Section 2\(d\)\(2\)\(B\)\(ii\) has no rows"):
            parse_dhs_page(text, file="uflpa.html")

    def test_table_without_the_headers(self) -> None:
        text = PAGE.read_text("utf-8").replace("<th>Entity Name</th>", "<th>Company</th>")
        with pytest.raises(ListFormatError, match=r"\(v\) lacks the 'Name of Entity'/'Entity Name'") as exc:
            parse_dhs_page(text, file="uflpa.html")
        assert exc.value.line == 25

    def test_table_without_a_section(self) -> None:
        text = PAGE.read_text("utf-8").replace(">Section 2(d)(2)(B)(i)<", ">Public Law 117-78<")
        with pytest.raises(ListFormatError, match="no 'Section 2"):
            parse_dhs_page(text, file="uflpa.html")

    def test_bad_date_names_the_row(self) -> None:
        text = PAGE.read_text("utf-8").replace("<td>August 2, 2023</td>", "<td>TBD</td>", 1)
        with pytest.raises(ListFormatError, match="effective date 'TBD' is not a date") as exc:
            parse_dhs_page(text, file="uflpa.html")
        assert (exc.value.file, exc.value.line, exc.value.column) == ("uflpa.html", 20, "Effective Date")

    def test_bad_name_cell_names_the_row(self) -> None:
        text = PAGE.read_text("utf-8").replace("(including three aliases: XPCC; Xinjiang Corps; and Bingtuan)",
                                               "(including four aliases: XPCC; Xinjiang Corps; and Bingtuan)", 1)
        with pytest.raises(ListFormatError, match="says four alias") as exc:
            parse_dhs_page(text, file="uflpa.html")
        assert exc.value.line == 12

    def test_html_for_another_source(self) -> None:
        error_page = "<html><head><title>Page Not Found</title></head><body><p>Moved</p></body></html>"
        with pytest.raises(ListFormatError, match="the page titled 'Page Not Found' is HTML: the only HTML list "
                                                  "accepted is the DHS UFLPA Entity List page, as uflpa_entity_list"):
            parse_dhs_page(error_page, source="cbp_wro", file="wro.csv")


class TestDhsRoundTrip:
    """The shipped UFLPA rows rendered into the page's layout parse back to the same entities."""

    def test_every_sectioned_entity_back(self) -> None:
        rows = snapshot_rows("uflpa_entity_list.csv")
        entries = by_name(parse_dhs_page(render_dhs_page(rows, former=frozenset({"uflpa-086"})), file="p.html"))
        # uflpa-149 has no section in the shipped data, so no section table of the page can hold it.
        assert [r["list_id"] for r in rows if not r["legal_basis_or_section"]] == ["uflpa-149"]
        assert len(entries) == 148
        for row in rows[:148]:
            entry = entries[fold(row["name"])]
            assert entry.name == row["name"]
            assert "|".join(entry.aliases) == row["aliases"], row["list_id"]
            assert entry.legal_basis == row["legal_basis_or_section"], row["list_id"]
            assert entry.date_listed == date.fromisoformat(row["date_added"]), row["list_id"]
            assert entry.extra.get("listing_scope", "") == row["listing_scope"], row["list_id"]
        assert entries[fold("Xinjiang Goens Energy Technology Co., Ltd.")].extra["former_names"].count(";") == 3

    def test_subsidiaries_named_in_the_parent_cell(self) -> None:
        rows = snapshot_rows("uflpa_entity_list.csv")
        subs = [f"uflpa-{n:03d}" for n in range(77, 85)]
        page = render_dhs_page(rows, parents={"uflpa-007": ("Zhuhai", subs)})
        # the 8 subsidiaries have no row of their own
        assert page.count("<tr>") == render_dhs_page(rows).count("<tr>") - 8
        entries = parse_dhs_page(page, file="p.html")
        assert len(entries) == 148
        ninestar = by_name(entries)["ninestar corporation"]
        assert ninestar.extra["listing_scope"] == "and its eight Zhuhai-based subsidiaries"
        children = [e for e in entries if e.extra.get("parent_entry_id") == ninestar.entry_id]
        assert [e.name for e in children] == [r["name"] for r in rows if r["list_id"] in subs]
        assert ninestar.extra["subsidiary_entry_ids"] == "; ".join(e.entry_id for e in children)
        assert {(e.legal_basis, e.date_listed) for e in children} == {
            ("UFLPA Section 2(d)(2)(B)(ii)", date(2023, 6, 12))}


class TestFederalRegister:
    def test_documents(self) -> None:
        docs = parse_fr_documents(FR.read_text("utf-8"), file=FR.name)
        assert len(docs) == 9
        assert (docs[-1].document_number, docs[-1].citation, docs[-1].publication_date) == (
            "2023-12481", "88 FR 38080", date(2023, 6, 12))

    def test_listing_date_rule(self) -> None:
        docs = parse_fr_documents(FR.read_text("utf-8"), file=FR.name)
        assert document_for(date(2024, 6, 12), docs).document_number == "2024-12631"  # published the day before
        assert document_for(date(2023, 9, 27), docs).document_number == "2023-21131"
        assert document_for(date(2022, 6, 21), docs) is None  # initial list: its appendix came later
        assert document_for(date(2024, 11, 25), docs) is None  # that notice is not in the search result

    def test_attached_to_the_page_entries(self, tmp_path: Path) -> None:
        entries = by_name(parse_list_files([PAGE, FR], source=UFLPA))
        zhongtai = entries["xinjiang zhongtai chemical co ltd"]
        assert zhongtai.citation.endswith("effective 2023-06-12; FR Doc. 2023-12481, 88 FR 38080 (2023-06-12)")
        assert zhongtai.extra["federal_register"] == (
            "FR Doc. 2023-12481, 88 FR 38080 (2023-06-12) https://www.federalregister.gov/documents/2023/06/12/"
            "2023-12481/notice-regarding-the-uyghur-forced-labor-prevention-act-entity-list")
        assert "federal_register" not in entries["xinjiang production and construction corps"].extra

    def test_one_document_per_section_date(self) -> None:
        docs = parse_fr_documents(FR.read_text("utf-8"), file=FR.name)
        entry = ListEntry(source=UFLPA, entry_id="x", name="X", citation="DHS",
                          extra={"section_dates": "2(d)(2)(B)(ii): 2023-06-12; 2(d)(2)(B)(v): 2025-01-15"})
        [out] = attach_documents([entry], docs)
        assert out.citation == "DHS; FR Doc. 2023-12481, 88 FR 38080 (2023-06-12); FR Doc. 2025-00901, 90 FR 3899 " \
                               "(2025-01-15)"

    def test_alone_is_not_a_list(self) -> None:
        with pytest.raises(ListFormatError, match="not a list: give it with the DHS UFLPA Entity List page"):
            parse_list_files([FR], source=UFLPA)

    def test_with_another_list_refused(self) -> None:
        with pytest.raises(ListFormatError, match="must be a Federal Register") as exc:
            detect_format([PAGE, DATA / "csl_consolidated.csv"])
        assert exc.value.file == "csl_consolidated.csv"

    def test_two_pages_refused(self, tmp_path: Path) -> None:
        copy = write(tmp_path, "again.html", PAGE.read_bytes())
        with pytest.raises(ListFormatError, match="exactly one DHS UFLPA Entity List page"):
            detect_format([PAGE, copy, FR])

    def test_document_without_a_number_refused(self, tmp_path: Path) -> None:
        bad = write(tmp_path, "fr.json", FR.read_text("utf-8").replace('"document_number": "2024-25423"',
                                                                       '"document_number": ""'))
        with pytest.raises(ListFormatError, match=r"results\[1\] has no document_number"):
            parse_list_files([PAGE, bad], source=UFLPA)


class TestCbpSample:
    def test_orders(self) -> None:
        entries = parse_list_files([CBP], source="cbp_wro", mentions_xinjiang=lambda t: "xinjiang" in t.lower())
        assert len(entries) == 12
        named = by_name(entries)
        hoshine = named["hoshine silicon industry co ltd"]
        assert (hoshine.aliases, hoshine.extra["listing_scope"]) == ((), "and subsidiaries")
        assert hoshine.citation == ("CBP Withhold Release Orders and Findings list (cbp.gov, WRO/Findings dataset "
                                    "CSV), Withhold Release Order, effective 2021-06-24, status Active")
        xuar = named["xinjiang uyghur autonomous region xuar"]
        assert xuar.match_by_name is False
        assert xuar.extra["order_type"] == "WRO (region-wide: cotton and tomato products)"
        xpcc = named["xinjiang production and construction corporation xpcc"]
        assert (xpcc.match_by_name, xpcc.aliases, xpcc.extra["listing_scope"]) == (True, ("XPCC",),
                                                                                   "and its subordinates")
        assert {e.country for e in entries} == {"CN"}

    def test_detected_by_header(self, tmp_path: Path) -> None:
        assert detect_format([write(tmp_path, "download", CBP.read_bytes())]) == "cbp_csv"


# Rows in the dataset's layout for countries other than China. The Turkmenistan cotton order is CBP's
# region-wide WRO of 2018-05-18; the glove and plantation companies are made up for the test, to cover
# the status values and group wording of the layout.
OTHER_COUNTRIES = [
    ["05/18/2018", "2018", "TM", "Turkmenistan", "Cotton", "WRO", "Agriculture", "Active", "", "", "", ""],
    ["07/15/2020", "2020", "MY", "Malaysia", "Disposable gloves", "Finding", "Manufacturing", "Revoked", "",
     "Example Glove Sdn. Bhd. a/k/a Example Gloves", "test row", "09/09/2021"],
    ["12/30/2020", "2020", "MY", "Malaysia", "Palm oil", "WRO", "Agriculture", "Inactive", "",
     "Example Plantation Berhad and its subsidiaries", "", ""],
    ["", "", "", "Dominican Republic", "Sugar", "WRO", "Agriculture", "Partially Active", "",
     "Example Sugar Corporation", "", ""],
]


class TestCbpRoundTrip:
    def test_shipped_rows_and_other_countries(self) -> None:
        rows = snapshot_rows("cbp_wro_findings.csv")
        text = render_cbp_csv(rows, OTHER_COUNTRIES).decode("utf-8")
        entries = parse_cbp_csv(text[1:], file="withhold-release-orders-findings.csv")
        assert len(entries) == 45
        assert len({e.entry_id for e in entries}) == 45
        for row, entry in zip(rows, entries, strict=False):
            assert entry.date_listed == (date.fromisoformat(row["date_added"]) if row["date_added"] else None)
            assert entry.extra["order_type"] == row["order_type"], row["list_id"]
            assert entry.extra.get("listing_scope", "") == row["listing_scope"], row["list_id"]
            assert entry.match_by_name is (row["list_id"] != "cbp-011"), row["list_id"]
            assert fold(entry.name) in {fold(n) for n in (row["name"], *row["aliases"].split("|")) if n}
        assert entries[11].name == "Hoshine Silicon Industry Co. Ltd."  # "and Subsidiaries" left the name
        assert entries[16].name == "Tangshan Sanyou Group"
        assert entries[16].aliases == ()  # the alias only repeated the name with the group wording

    def test_region_wide_without_entity_statuses_and_countries(self) -> None:
        entries = parse_cbp_csv(render_cbp_csv([], OTHER_COUNTRIES).decode("utf-8"), file="wro.csv")
        cotton, gloves, palm, sugar = entries
        assert (cotton.name, cotton.country, cotton.match_by_name) == (
            "Region-wide order: Cotton (Turkmenistan)", "TM", False)
        assert cotton.extra["order_type"] == "WRO (region-wide: cotton)"
        assert (gloves.aliases, gloves.extra["status"], gloves.remarks) == (("Example Gloves",), "Revoked", "test row")
        assert gloves.citation.endswith("Finding, effective 2020-07-15, status Revoked, modified 09/09/2021")
        assert gloves.match_by_name is True  # a revoked order still matches; its status is in every citation
        assert (palm.name, palm.extra["listing_scope"], palm.extra["status"]) == (
            "Example Plantation Berhad", "and its subsidiaries", "Inactive")
        assert (sugar.country, sugar.date_listed, sugar.extra["status"]) == ("DO", None, "Partially Active")

    def test_missing_column_refused(self) -> None:
        text = CBP.read_text("utf-8-sig").replace("WRO/Finding", "Kind", 1)
        with pytest.raises(ListFormatError, match=r"not the CBP WRO/Findings dataset: missing column\(s\) WRO"):
            parse_cbp_csv(text, file="wro.csv")

    def test_bad_date_names_line_and_column(self) -> None:
        text = CBP.read_text("utf-8-sig").replace("06/17/2020", "17.06.2020")
        with pytest.raises(ListFormatError, match="Effective Date '17.06.2020' is not a date") as exc:
            parse_cbp_csv(text, file="wro.csv")
        assert (exc.value.line, exc.value.column) == (4, "Effective Date")

    def test_cut_off_row_refused(self) -> None:
        text = CBP.read_text("utf-8-sig")
        with pytest.raises(ListFormatError, match="truncated mid-quote"):
            parse_cbp_csv(text[: text.index('"Hefei Bitland') + 5], file="wro.csv")
