"""Issue 18 in the console: one record screened from a form, every bad row of an upload in a table and an
error sheet, batch rows by spreadsheet number with their screening id, and a decision that changes a row."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from fastapi.testclient import TestClient

from tests.conftest import add_key
from tests.ui.conftest import SUPPLIERS, finish, supplier_csv, upload


class TestScreenOne:
    def test_supplier_form_shows_the_result_with_its_evidence(self, console: tuple[TestClient, str]) -> None:
        client, csrf = console
        assert 'href="/ui/screen"' in client.get("/ui/upload").text
        form = {"csrf": csrf, "kind": "supplier", "reference": "V-1042", "p0_role": "supplier",
                "p0_name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "p0_country": "中国",
                "p0_address": "Shanshan County, Turpan"}
        response = client.post("/ui/screen", data=form, follow_redirects=False)
        assert response.status_code == 303, response.text
        screening_id = response.headers["location"].rsplit("/", 1)[1]
        page = client.get(response.headers["location"]).text
        assert 'id="verdict">presumption<' in page
        assert f'id="screening-id">{screening_id}<' in page
        assert "UFLPA Entity List: Hoshine Silicon Industry (Shanshan) Co., Ltd" in page  # the reason line
        assert "Name on the list" in page
        assert "Xinjiang place" in page
        api = client.get(f"/v1/screenings/{screening_id}", headers={"X-API-Key": add_key(client, scopes=("read",))})
        assert (api.status_code, api.json()["reference"], api.json()["verdict"]) == (200, "V-1042", "presumption")
        report = client.get(f"/ui/screenings/{screening_id}/report")
        assert report.status_code == 200
        assert 'id="verdict">presumption<' in report.text

    def test_shipment_names_the_party_and_the_input(self, console: tuple[TestClient, str]) -> None:
        client, csrf = console
        form = {"csrf": csrf, "kind": "shipment", "reference": "PO-42",
                "p0_role": "importer", "p0_name": "Example Imports LLC", "p0_country": "US",
                "p1_role": "manufacturer", "p1_name": "Vina Solar Technology Co Ltd", "p1_country": "VN",
                "g0_hs_code": "8541.43", "g0_origin_country": "VN",
                "g0_i0_material": "polysilicon", "g0_i0_origin_country": "CN", "g0_i0_origin_region": "Xinjiang",
                "g0_i0_supplier": "Aksu Huaxing Fabric Mill"}
        response = client.post("/ui/screen", data=form, follow_redirects=False)
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        assert 'id="verdict">presumption<' in page
        assert "(input polysilicon)" in page  # the Xinjiang input, not the importer, is what the verdict is about
        assert "Party 1 (importer)" in page
        assert "Party 2 (manufacturer)" in page

    def test_invalid_fields_are_named_and_the_form_kept(self, console: tuple[TestClient, str]) -> None:
        client, csrf = console
        form = {"csrf": csrf, "kind": "supplier", "p0_name": "Acme Trading", "p0_country": "Narnia",
                "g0_hs_code": "0000.00"}
        response = client.post("/ui/screen", data=form)
        assert response.status_code == 422
        assert "Party 1, country:" in response.text
        assert "Goods line 1, hs code:" in response.text
        assert 'value="Acme Trading"' in response.text
        assert client.post("/ui/screen", data={"csrf": csrf, "kind": "supplier"}).status_code == 422
        assert client.post("/ui/screen", data={"kind": "supplier", "p0_name": "x"}).status_code == 403  # no CSRF


BAD_ROWS = [*SUPPLIERS[:2], ("V-8", "", "", "CN", "", ""), ("V-9", "", "Okay Ltd", "DE", "", "99999999999"),
            ("V-10", "", "   ", "DE", "", "")]


class TestEveryProblem:
    def test_preview_lists_every_bad_row_and_the_sheet_has_them(self, console: tuple[TestClient, str]) -> None:
        client, csrf = console
        data = supplier_csv(BAD_ROWS)
        html = client.post("/ui/upload/preview", data={"csrf": csrf}, files={"file": ("bad.csv", data)}).text
        rows = re.findall(r'<td class="num row-no">(\d+)</td><td class="col-name">([^<]+)</td>', html)
        assert rows == [("4", "Vendor Name"), ("5", "海关编码"), ("6", "Vendor Name")]
        assert "The file has 3 row problems" in html
        sheet = client.post("/ui/upload/errors.csv", data={"csrf": csrf}, files={"file": ("bad.csv", data)})
        assert sheet.status_code == 200
        assert 'filename="bad-rows-to-fix.csv"' in sheet.headers["content-disposition"]
        records = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
        assert records[0][-2:] == ["flrisk_row", "flrisk_errors"]
        assert [(r[0], r[-2]) for r in records[1:]] == [("V-8", "4"), ("V-9", "5"), ("V-10", "6")]
        assert records[2][-1].startswith("海关编码: invalid HS code '99999999999'")
        xlsx = client.post("/ui/upload/errors.xlsx", data={"csrf": csrf}, files={"file": ("bad.csv", data)})
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["V-8", "V-9", "V-10"]


HOSHINE = "Hoshine Silicon Industry (Shanshan) Co., Ltd."
LISTED_TWICE = [("V-1", "", HOSHINE, "CN", "", ""), ("V-2", "", "Krones AG", "DE", "", ""),
                ("V-3", "", HOSHINE, "China", "", "")]


class TestBatchRows:
    def test_rows_by_spreadsheet_number_and_a_decision_changes_the_rows(self, console: tuple[TestClient, str]
                                                                        ) -> None:
        client, csrf = console
        batch = upload(client, csrf, supplier_csv(LISTED_TWICE))
        finish(client, batch)
        batch_id = batch.rsplit("/", 1)[1]
        review = client.get(f"{batch}/review").text
        assert re.findall(r'href="[^"]+/rows/(\d+)" class="row-link"', review) == ["2", "4"]
        assert f"{batch_id}-r4" in review
        row = client.get(f"{batch}/rows/4").text
        assert 'id="verdict">presumption<' in row
        assert f'id="screening-id">{batch_id}-r4<' in row
        entry = re.search(r'id="match-uflpa_entity_list-([^"]+)"', row)
        assert entry is not None
        form = {"csrf": csrf, "source": "uflpa_entity_list", "entry_id": entry.group(1),
                "decision": "false_positive", "reason": "Trading arm in Ningbo, not the Shanshan plant",
                "analyst": "j.doe"}
        assert client.post(f"{batch}/rows/4/decisions", data=form, follow_redirects=False).status_code == 303
        row = client.get(f"{batch}/rows/4").text
        assert 'id="verdict">review<' in row  # still on the BIS Entity List and a CBP order: cleared from UFLPA only
        assert "(cleared as a false positive by j.doe)" in row
        assert re.search(r'<code class="decision-id">[0-9a-f-]{36}</code>', row)
        assert re.search(r'As screened: <span class="badge"[^>]*>presumption</span> <strong>\d+</strong>', row)
        review = client.get(f"{batch}/review").text
        assert review.count("was presumption") == 2  # both rows name the same party (CN and China alike)
        assert "changed the verdict" in review
        counts = dict(re.findall(r'data-verdict="(\w+)">([\d,]+)<', client.get(f"{batch}/progress").text))
        assert (counts["presumption"], counts["review"], counts["clear"]) == ("0", "2", "1")
