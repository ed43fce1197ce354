"""Countries in batch uploads: every spelling of China screens as China; a country that names none keeps the row,
screened without a country, with a warning in its result and in every download format."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.api.test_batches import upload, wait_done
from tests.conftest import TEST_SECRET

KNITWEAR = "Example Knitwear Co Ltd"
ROWS = [  # reference, name, country, HS code
    ("V-1", KNITWEAR, "CN", "6109.10"),
    ("V-2", KNITWEAR, "中国", "6109.10"),
    ("V-3", KNITWEAR, "China", "6109.10"),
    ("V-4", KNITWEAR, "CHN", "6109.10"),
    ("V-5", KNITWEAR, "中华人民共和国", "6109.10"),
    ("V-6", KNITWEAR, "Mainland China", "6109.10"),
    ("V-7", KNITWEAR, "XX", "6109.10"),
    ("V-8", "Hoshine Silicon Industry (Shanshan) Co Ltd", "Narnia", "2804.61"),
    ("V-9", KNITWEAR, "Germany", "6109.10"),
]
WARNINGS = {"V-7": "country: 'XX' is not a recognised country; screened without a country",
            "V-8": "country: 'Narnia' is not a recognised country; screened without a country"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=4,
                    secret_key=TEST_SECRET)


def gbk_upload() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["供应商编号", "供应商名称", "国家", "海关编码"])
    writer.writerows(ROWS)
    return out.getvalue().encode("gbk")


def screened_batch(client: TestClient) -> str:
    response = upload(client, gbk_upload())
    assert response.status_code == 202, response.text
    assert response.json()["encoding"] in ("gb18030", "gbk")
    batch = wait_done(client, response.json()["id"])
    assert (batch["status"], batch["rows_total"], batch["rows_done"]) == ("done", len(ROWS), len(ROWS))
    return str(batch["id"])


class TestBatchCountries:
    def test_spellings_screen_alike_and_unknown_countries_warn(self, client: TestClient) -> None:
        batch_id = screened_batch(client)
        results = client.get(f"/v1/batches/{batch_id}/results", params={"format": "json"}).json()["rows"]
        by_ref = {r["cells"]["供应商编号"]: r for r in results}
        assert {ref: (r["verdict"], r["risk_score"]) for ref, r in by_ref.items() if ref <= "V-6"} == \
            dict.fromkeys(("V-1", "V-2", "V-3", "V-4", "V-5", "V-6"), ("elevated", 49))
        assert by_ref["V-9"]["verdict"] == "clear"
        assert by_ref["V-7"]["verdict"] == "clear"  # no country: not "from China"
        assert by_ref["V-8"]["verdict"] == "presumption"  # the listed name still counts
        assert {ref: r["warnings"] for ref, r in by_ref.items() if r["warnings"]} == {
            ref: [w] for ref, w in WARNINGS.items()}
        assert by_ref["V-8"]["cells"]["国家"] == "Narnia"  # the cell itself is kept as uploaded

    def test_warning_in_csv_and_xlsx_downloads_and_in_findings(self, client: TestClient) -> None:
        batch_id = screened_batch(client)
        data = client.get(f"/v1/batches/{batch_id}/results", params={"format": "csv"}).content
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        at = records[0].index("flrisk_warnings")
        assert records[0][at:] == ["flrisk_warnings", "flrisk_lists"]
        assert {r[0]: r[at] for r in records[1:] if r[at]} == WARNINGS
        assert len(records) == len(ROWS) + 1
        workbook = openpyxl.load_workbook(io.BytesIO(
            client.get(f"/v1/batches/{batch_id}/results", params={"format": "xlsx"}).content))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert {r[0]: r[at] for r in rows[1:] if r[at]} == WARNINGS
        findings = client.get(f"/v1/batches/{batch_id}/findings").json()["data"]
        narnia = next(f for f in findings if f["index"] == 7)
        assert narnia["result"]["warnings"] == [WARNINGS["V-8"]]
        assert all(f["result"]["warnings"] == [] for f in findings if f["index"] != 7)
        assert json.dumps(narnia["result"], ensure_ascii=False).count("Narnia") == 1
