"""The upload page: preview (encoding, mapping, first rows), errors in plain words, starting a batch."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.store.tables import BatchRow
from tests.ui.conftest import HEADERS, SUPPLIERS, supplier_csv, upload

UPLOADS = Path(__file__).resolve().parents[1] / "data" / "uploads"


def preview(client: TestClient, csrf: str, data: bytes, name: str = "suppliers.csv", **form: str) -> str:
    response = client.post("/ui/upload/preview", data={"csrf": csrf, **form}, files={"file": (name, data)})
    return response.text


def test_upload_page_has_a_labelled_file_input(console: tuple[TestClient, str]) -> None:
    client, _ = console
    page = client.get("/ui/upload").text
    assert '<label for="file">' in page
    assert 'id="file" name="file"' in page
    assert "Up to 195 KB" in page  # the configured limit, in words


def test_preview_shows_detected_encoding_mapping_and_chinese_rows(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    html = preview(client, csrf, supplier_csv())
    assert "gb18030" in html
    assert "(detected)" in html
    assert '<option value="Vendor Name" selected>Vendor Name</option>' in html  # name
    assert '<option value="供应商名称" selected>供应商名称</option>' in html  # chinese_name
    assert "新疆合盛硅业有限公司" in html
    assert "乌鲁木齐市" in html
    assert 'id="row-count">7<' in html
    assert 'id="start">Start screening 7 rows' in html
    assert "First 5 rows" in html
    assert "→ Supplier name" in html


def test_preview_with_forced_wrong_encoding_says_where(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    html = preview(client, csrf, supplier_csv(), encoding="utf-8")
    assert "The file cannot be read" in html
    assert "does not decode as utf-8: undecodable bytes on line 1" in html
    assert 'Row <strong class="row-no">1</strong>' in html
    assert "Pick the file&#39;s encoding in the list" in html
    assert 'id="encoding"' in html  # the user can pick another encoding right there


def test_preview_without_a_name_column_asks_for_the_mapping(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    data = supplier_csv([(r[0], r[3]) for r in SUPPLIERS], headers=["编号", "国家"])
    html = preview(client, csrf, data)
    assert "No name column among the headers" in html
    assert "mapping=" not in html
    assert "Choose the column that holds the supplier names" in html
    assert 'id="start" disabled' in html


def test_preview_with_a_chosen_mapping_checks_every_name(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    html = preview(client, csrf, supplier_csv(), map_name="供应商名称", map_country="国家")
    assert "The file has 3 row problems" in html  # all three rows without a 汉字 name, Krones AG first
    cells = re.findall(r'<td class="num row-no">(\d+)</td><td class="col-name">供应商名称', html)
    assert cells == ["6", "7", "8"]
    assert html.count("<td>empty name</td>") == 3
    assert 'formaction="/ui/upload/errors.xlsx"' in html
    assert '<option value="供应商名称" selected>供应商名称</option>' in html
    assert "proposed: Vendor Name" in html


def test_xlsx_preview(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    html = preview(client, csrf, (UPLOADS / "vendors.xlsx").read_bytes(), name="vendors.xlsx")
    assert "XLSX" in html
    assert "not needed (XLSX)" in html
    assert "合盛硅业（鄯善）有限公司" in html


def test_start_errors_are_plain_words_with_row_and_column(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    rows = [*SUPPLIERS[:3], ("V-9", "", "   ", "CN", "", "")]
    response = client.post("/ui/upload", data={"csrf": csrf}, files={"file": ("bad.csv", supplier_csv(rows))})
    assert response.status_code == 422
    assert '<td class="num row-no">5</td><td class="col-name">Vendor Name</td>' in response.text
    assert "<td>empty name</td>" in response.text
    fragment = client.post("/ui/upload", data={"csrf": csrf}, files={"file": ("bad.csv", supplier_csv(rows))},
                           headers={"X-Console-Fetch": "1"})
    assert fragment.status_code == 422
    assert "<html" not in fragment.text
    assert 'role="alert"' in fragment.text
    garbage = client.post("/ui/upload", data={"csrf": csrf}, files={"file": ("x.csv", (UPLOADS / "garbage.bin")
                                                                              .read_bytes())})
    assert "The file is not a text CSV or XLSX" in garbage.text
    hs = client.post("/ui/upload", data={"csrf": csrf}, files={"file": ("hs.csv", supplier_csv(
        [("V-1", "", "Krones AG", "DE", "", "99999999999")]))})
    assert "invalid HS code &#39;99999999999&#39;" in hs.text
    assert '<td class="num row-no">2</td><td class="col-name">海关编码</td>' in hs.text


def test_file_too_large_is_refused_before_reading(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    big = supplier_csv() + b"x" * 210_000
    response = client.post("/ui/upload", data={"csrf": csrf}, files={"file": ("big.csv", big)})
    assert response.status_code == 422
    assert "larger than the upload limit of 195 KB" in response.text
    assert "larger than the upload limit" in preview(client, csrf, big)


def test_start_keeps_auto_mapping_or_uses_the_chosen_one(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    auto = json.dumps({"name": "Vendor Name", "chinese_name": "供应商名称", "country": "国家", "address": "地址",
                       "hs_code": "海关编码", "reference": "供应商编号"}, ensure_ascii=False)
    same = {f"map_{f}": h for f, h in json.loads(auto).items()}
    kept = upload(client, csrf, supplier_csv(), auto_mapping=auto, **same)
    chosen = upload(client, csrf, supplier_csv(), auto_mapping=auto, map_name="Vendor Name", map_country="国家")
    with Session(client.app.state.engine) as session:
        first = session.get(BatchRow, kept.rsplit("/", 1)[1])
        second = session.get(BatchRow, chosen.rsplit("/", 1)[1])
    assert first is not None
    assert second is not None
    assert first.mapping_source == "auto"
    assert first.encoding == "gb18030"
    assert first.headers == HEADERS
    assert second.mapping_source == "given"
    assert second.mapping == {"name": "Vendor Name", "country": "国家"}
    assert first.org_id == "default"
    assert first.rows_total == len(SUPPLIERS)
