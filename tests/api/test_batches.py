"""Supplier-list uploads over HTTP, on SQLite and PostgreSQL (in-process job runner)."""

import csv
import io
import json
import time
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import TEST_SECRET

GBK_ROWS = [
    ("V-001", "新疆合盛硅业有限公司", "HOSHINE SILICON IND (SHANSHAN) CO LTD", "CN", "2804.61"),
    ("V-002", "宁波申洲针织有限公司", "Ningbo Shenzhou Knitting", "CN", "6109.10"),
    ("V-003", "和田浩林发饰有限公司", "Hetian Haolin Hair Accessories", "CN", "6704.20"),
    ("V-004", "", "Krones AG", "DE", "8422.30"),
]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    max_upload_bytes=200_000, secret_key=TEST_SECRET)


def gbk_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["供应商编号", "供应商名称", "Vendor Name", "国家", "海关编码"])
    writer.writerows(GBK_ROWS)
    return out.getvalue().encode("gbk")


def upload(client: TestClient, data: bytes, name: str = "vendors.csv", **form: str) -> Any:
    return client.post("/v1/batches", files={"file": (name, data)}, data=form)


def wait_done(client: TestClient, batch_id: str) -> dict[str, Any]:
    client.app.state.jobs.drain()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = client.get(f"/v1/batches/{batch_id}").json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError("batch did not finish")


class TestUpload:
    def test_gbk_csv_with_chinese_headers_is_screened(self, client: TestClient) -> None:
        response = upload(client, gbk_csv())
        assert response.status_code == 202
        created = response.json()
        assert created["status"] == "queued"
        assert created["rows_total"] == 4
        assert created["encoding"] in ("gb18030", "gbk")
        assert created["mapping"]["name"] == "Vendor Name"
        assert created["mapping"]["chinese_name"] == "供应商名称"
        assert created["mapping_source"] == "auto"
        done = wait_done(client, created["id"])
        assert done["status"] == "done"
        assert done["rows_done"] == 4
        assert sum(done["counts"].values()) == 4
        assert done["counts"]["presumption"] >= 2  # Hoshine and Haolin are on the UFLPA Entity List
        assert set(done["list_versions"]) == {"uflpa_entity_list", "cbp_wro", "ofac_sdn", "bis_entity_list"}

    def test_csv_results_keep_original_columns(self, client: TestClient) -> None:
        batch_id = upload(client, gbk_csv()).json()["id"]
        wait_done(client, batch_id)
        response = client.get(f"/v1/batches/{batch_id}/results", params={"format": "csv"})
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:5] == ["供应商编号", "供应商名称", "Vendor Name", "国家", "海关编码"]
        assert "flrisk_verdict" in rows[0]
        assert [r[0] for r in rows[1:]] == ["V-001", "V-002", "V-003", "V-004"]
        verdict = rows[0].index("flrisk_verdict")
        assert rows[1][verdict] == "presumption"
        assert rows[4][verdict] == "clear"

    def test_results_filtered_by_verdict_as_json(self, client: TestClient) -> None:
        batch_id = upload(client, gbk_csv()).json()["id"]
        wait_done(client, batch_id)
        body = json.loads(client.get(f"/v1/batches/{batch_id}/results",
                                     params={"format": "json", "verdict": "clear"}).content)["rows"]
        assert [r["verdict"] for r in body] == ["clear"] * len(body)
        assert len(body) >= 1

    def test_xlsx_in_and_out(self, client: TestClient) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Supplier ID", "Supplier Name", "Country"])
        sheet.append([1001, "HOSHINE SILICON IND (SHANSHAN) CO LTD", "CN"])
        sheet.append([1002, "Siemens AG", "DE"])
        buf = io.BytesIO()
        book.save(buf)
        batch_id = upload(client, buf.getvalue(), name="suppliers.xlsx").json()["id"]
        wait_done(client, batch_id)
        response = client.get(f"/v1/batches/{batch_id}/results", params={"format": "xlsx"})
        result = openpyxl.load_workbook(io.BytesIO(response.content))
        rows = list(result.active.iter_rows(values_only=True))
        assert rows[0][:5] == ("Supplier ID", "Supplier Name", "Country", "flrisk_row", "flrisk_verdict")
        assert rows[1][3:5] == (2, "presumption")
        assert rows[2][3:5] == (3, "clear")
        assert result.active.freeze_panes == "A2"

    def test_findings_have_evidence(self, client: TestClient) -> None:
        batch_id = upload(client, gbk_csv()).json()["id"]
        wait_done(client, batch_id)
        body = client.get(f"/v1/batches/{batch_id}/findings", params={"verdict": "presumption"}).json()
        assert {(f["row"], f["index"]) for f in body["data"]} >= {(2, 0), (4, 2)}
        assert body["count"] == len(body["data"])
        assert any(e["type"] == "list_match" for e in body["data"][0]["result"]["evidence"])

    def test_explicit_mapping(self, client: TestClient) -> None:
        mapping = json.dumps({"name": "Vendor Name", "chinese_name": "供应商名称", "reference": "供应商编号"})
        created = upload(client, gbk_csv(), mapping=mapping).json()
        assert created["mapping_source"] == "given"
        assert created["mapping"] == {"name": "Vendor Name", "chinese_name": "供应商名称", "reference": "供应商编号"}

    def test_mapping_onto_a_column_with_empty_names_is_refused(self, client: TestClient) -> None:
        response = upload(client, gbk_csv(), mapping=json.dumps({"name": "供应商名称"}))
        assert response.status_code == 422
        assert "row 5" in response.json()["detail"]

    def test_idempotent_resubmit(self, client: TestClient) -> None:
        first = client.post("/v1/batches", files={"file": ("v.csv", gbk_csv())}, headers={"Idempotency-Key": "u1"})
        second = client.post("/v1/batches", files={"file": ("v.csv", gbk_csv())}, headers={"Idempotency-Key": "u1"})
        assert first.json()["id"] == second.json()["id"]
        assert second.headers["Idempotent-Replayed"] == "true"


class TestRejections:
    def _refused(self, client: TestClient, response: Any) -> dict[str, Any]:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        return response.json()

    def test_no_name_column(self, client: TestClient) -> None:
        body = self._refused(client, upload(client, b"id,country\n1,CN\n"))
        assert "name" in body["detail"]

    def test_overlong_name_names_row_and_column(self, client: TestClient) -> None:
        data = ("Vendor Name,Country\nACME,CN\n" + "x" * 1001 + ",CN\n").encode()
        body = self._refused(client, upload(client, data))
        assert "row 3" in body["detail"]
        assert "Vendor Name" in body["detail"]

    def test_invalid_hs_code_names_row_and_column(self, client: TestClient) -> None:
        data = b"Vendor Name,HS Code\nACME,8541.43\nBETA,77.01\n"
        body = self._refused(client, upload(client, data))
        assert "row 3" in body["detail"]
        assert "HS Code" in body["detail"]

    def test_binary_garbage(self, client: TestClient) -> None:
        self._refused(client, upload(client, bytes(range(256)) * 50, name="x.csv"))

    def test_bad_mapping(self, client: TestClient) -> None:
        body = self._refused(client, upload(client, gbk_csv(), mapping='{"name": "No Such Column"}'))
        assert body["errors"][0]["source"] == "mapping"

    def test_too_large(self, client: TestClient) -> None:
        response = upload(client, b"Vendor Name\n" + b"A" * 300_000)
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    def test_nothing_stored_after_rejections(self, client: TestClient) -> None:
        upload(client, b"id,country\n1,CN\n")
        ok = upload(client, gbk_csv()).json()
        assert client.get(f"/v1/batches/{ok['id']}").status_code == 200
        from sqlmodel import Session, func, select

        from service.store.tables import BatchRow
        with Session(client.app.state.engine) as session:
            assert session.exec(select(func.count()).select_from(BatchRow)).one() == 1

    def test_unknown_batch_404(self, client: TestClient) -> None:
        assert client.get("/v1/batches/nope").status_code == 404
