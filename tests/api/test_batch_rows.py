"""Issue 18 over HTTP, on SQLite and PostgreSQL: every batch row traceable (spreadsheet row, screening id served
by /v1/screenings/{id} and its report, reason), decisions changing rows and counts, the batch list, counts on
list endpoints, and every bad row of a file in one problem+json."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.api.test_batches import upload, wait_done
from tests.conftest import TEST_SECRET, add_key

HOSHINE = "Hoshine Silicon Industry (Shanshan) Co., Ltd."
# A blank line after the header: the spreadsheet numbers rows as a user sees them (blank rows included).
CSV = ("Vendor ID,Vendor Name,Country,Address\n\n"
       f'V-1,"{HOSHINE}",CN,\n'
       "V-2,Krones AG,DE,Neutraubling\n"
       f'V-3,"{HOSHINE}",China,\n'
       "V-4,Ningbo Shenzhou Knitting Co. Ltd,CN,Shanshan County Turpan\n")


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    secret_key=TEST_SECRET)


def screened(client: TestClient, data: str = CSV) -> str:
    created = upload(client, data.encode())
    assert created.status_code == 202, created.text
    assert wait_done(client, created.json()["id"])["status"] == "done"
    return str(created.json()["id"])


def results(client: TestClient, batch_id: str) -> dict[str, dict[str, Any]]:
    body = client.get(f"/v1/batches/{batch_id}/results", params={"format": "json"}).json()
    return {r["cells"]["Vendor ID"]: r for r in body["rows"]}


class TestTraceableRows:
    def test_every_row_has_its_spreadsheet_row_screening_id_and_reason(self, client: TestClient) -> None:
        batch_id = screened(client)
        rows = results(client, batch_id)
        assert {ref: r["row"] for ref, r in rows.items()} == {"V-1": 3, "V-2": 4, "V-3": 5, "V-4": 6}
        assert {ref: r["screening_id"] for ref, r in rows.items()} == {
            ref: f"{batch_id}-r{r['row']}" for ref, r in rows.items()}
        assert rows["V-1"]["evidence_url"] == f"/v1/screenings/{batch_id}-r3"
        assert rows["V-1"]["report_url"] == f"/v1/screenings/{batch_id}-r3/report"
        assert rows["V-1"]["reason"].startswith("UFLPA Entity List: Hoshine Silicon Industry (Shanshan)")
        assert rows["V-4"]["reason"] == "Xinjiang address: Shanshan, Turpan"
        assert rows["V-2"]["reason"] == "No UFLPA, list or Xinjiang indicator found in the list versions checked."
        data = client.get(f"/v1/batches/{batch_id}/results", params={"format": "csv"}).content.decode("utf-8-sig")
        table = {r["Vendor ID"]: r for r in csv.DictReader(io.StringIO(data))}
        assert (table["V-3"]["flrisk_row"], table["V-3"]["flrisk_screening_id"]) == ("5", f"{batch_id}-r5")

    def test_screening_id_serves_the_row_and_its_report(self, client: TestClient) -> None:
        batch_id = screened(client)
        listed = client.get(f"/v1/screenings/{batch_id}-r3")
        assert listed.status_code == 200
        body = listed.json()
        assert (body["id"], body["reference"], body["verdict"]) == (f"{batch_id}-r3", "V-1", "presumption")
        assert body["batch_row"] == {"batch_id": batch_id, "row": 3, "index": 0, "original_verdict": "presumption",
                                     "original_risk_score": body["risk_score"], "decision_ids": [], "changed_by": []}
        assert any(e["type"] == "list_match" for e in body["evidence"])
        assert body["rebuttal_checklist"][0]["text"]
        clear = client.get(f"/v1/screenings/{batch_id}-r4").json()
        assert (clear["verdict"], clear["evidence"], clear["reference"]) == ("clear", [], "V-2")
        report = client.get(f"/v1/screenings/{batch_id}-r3/report")
        assert report.status_code == 200
        assert HOSHINE in report.text
        assert client.get(f"/v1/screenings/{batch_id}-r2").status_code == 404  # the blank line is no row
        assert client.get(f"/v1/screenings/{batch_id}-r99").status_code == 404
        other = {"X-API-Key": add_key(client, org="other-org")}
        assert client.get(f"/v1/screenings/{batch_id}-r3", headers=other).status_code == 404

    def test_findings_have_row_index_count_and_links(self, client: TestClient) -> None:
        batch_id = screened(client)
        page = client.get(f"/v1/batches/{batch_id}/findings", params={"limit": 1}).json()
        assert page["count"] == 3
        assert len(page["data"]) == 1
        every = client.get(f"/v1/batches/{batch_id}/findings").json()["data"]
        assert sorted((f["row"], f["index"]) for f in every) == [(3, 0), (5, 2), (6, 3)]
        assert all(f["screening_id"] == f"{batch_id}-r{f['row']}" for f in every)
        report = client.get(f"/v1/batches/{batch_id}/report").text
        assert "Row index" not in report
        assert f"{batch_id}-r5" in report


class TestDecisionsOnRows:
    def test_a_false_positive_changes_the_rows_counts_and_downloads_and_withdrawing_restores(
            self, client: TestClient) -> None:
        batch_id = screened(client)
        before = client.get(f"/v1/batches/{batch_id}").json()
        row = client.get(f"/v1/screenings/{batch_id}-r3").json()
        uflpa = next(e["list_entry"] for e in row["evidence"] if e["list_entry"]["source"] == "uflpa_entity_list")
        made = client.post("/v1/decisions", json={
            "party": {"name": HOSHINE, "country": "CN"}, "source": "uflpa_entity_list",
            "entry_id": uflpa["entry_id"], "decision": "false_positive", "reason": "Ningbo trading arm",
            "analyst": "j.doe"})
        assert made.status_code == 201, made.text
        decision_id = made.json()["id"]
        now = client.get(f"/v1/screenings/{batch_id}-r5").json()  # "China" is the same party as "CN"
        assert now["verdict"] == "review"  # still on the BIS Entity List and under a CBP order
        assert now["batch_row"]["original_verdict"] == "presumption"
        assert now["batch_row"]["changed_by"] == [decision_id]
        cleared = next(e for e in now["evidence"]
                       if e["list_entry"] and e["list_entry"]["entry_id"] == uflpa["entry_id"])
        assert (cleared["effect"], cleared["decision"]["id"]) == ("informational", decision_id)
        after = client.get(f"/v1/batches/{batch_id}").json()
        assert after["counts"]["presumption"] == before["counts"]["presumption"] - 2
        assert after["counts"]["review"] == before["counts"].get("review", 0) + 2
        assert after["original_counts"] == before["counts"]
        rows = results(client, batch_id)
        assert (rows["V-1"]["verdict"], rows["V-1"]["original_verdict"], rows["V-1"]["decision_ids"]) == (
            "review", "presumption", [decision_id])
        assert "cleared as a false positive by j.doe" in rows["V-1"]["reason"]
        only = client.get(f"/v1/batches/{batch_id}/results", params={"format": "json", "verdict": "presumption"})
        assert [r["cells"]["Vendor ID"] for r in only.json()["rows"]] == ["V-4"]
        audit = client.get("/v1/audit", params={"type": "decision.created"}).json()
        assert audit["count"] == 1
        assert audit["data"][0]["details"]["batch_rows_changed"] == 2

        assert client.delete(f"/v1/decisions/{decision_id}").status_code == 200
        assert client.get(f"/v1/batches/{batch_id}").json()["counts"] == before["counts"]
        restored = client.get(f"/v1/screenings/{batch_id}-r3").json()
        assert (restored["verdict"], restored["batch_row"]["decision_ids"]) == ("presumption", [])

    def test_a_decision_recorded_before_the_upload_applies_and_shows_the_original(self, client: TestClient) -> None:
        entry = client.post("/v1/match", json={"name": HOSHINE, "country": "CN"}).json()
        uflpa = next(m for m in entry["matches"] if m["source"] == "uflpa_entity_list")
        client.post("/v1/decisions", json={"party": {"name": HOSHINE, "country": "CN"}, "source": "uflpa_entity_list",
                                           "entry_id": uflpa["entry_id"], "decision": "false_positive",
                                           "reason": "r", "analyst": "a"})
        batch_id = screened(client)
        status = client.get(f"/v1/batches/{batch_id}").json()
        assert status["original_counts"]["presumption"] == 3
        assert status["counts"]["presumption"] == 1
        finding = next(f for f in client.get(f"/v1/batches/{batch_id}/findings").json()["data"] if f["row"] == 3)
        assert (finding["verdict"], finding["original_verdict"]) == ("review", "presumption")


class TestBatchList:
    def test_paged_newest_first_filtered_by_status_and_date(self, client: TestClient) -> None:
        first, second = screened(client), screened(client)
        page = client.get("/v1/batches", params={"limit": 1}).json()
        assert (page["count"], [b["id"] for b in page["data"]]) == (2, [second])
        assert [b["id"] for b in client.get("/v1/batches", params={"offset": 1}).json()["data"]] == [first]
        assert client.get("/v1/batches", params={"status": "failed"}).json()["count"] == 0
        later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        assert client.get("/v1/batches", params={"since": later}).json()["count"] == 0
        assert client.get("/v1/batches", params={"until": later}).json()["count"] == 2
        assert client.get("/v1/batches", headers={"X-API-Key": add_key(client, org="other")}).json()["count"] == 0
        done = client.get(f"/v1/batches/{first}").json()
        assert done["queue_position"] is None

    def test_keys_and_audit_have_counts(self, client: TestClient) -> None:
        assert client.get("/v1/keys").json()["count"] >= 1
        audit = client.get("/v1/audit", params={"limit": 1}).json()
        assert audit["count"] >= len(audit["data"]) == 1


class TestEveryProblem:
    def test_all_bad_rows_in_one_problem(self, client: TestClient) -> None:
        data = ("Vendor Name,Country,HS Code\nAcme Trading,DE,8479.89\n,CN,\nBeta Ltd,DE,0000.00\n"
                "Gamma\x07 Corp,DE,\n\n   ,DE,12\n")
        response = upload(client, data.encode())
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert [(e["row"], e["column"], e["value"]) for e in problem["errors"]] == [
            (3, "Vendor Name", ""), (4, "HS Code", "0000.00"), (5, "Vendor Name", "Gamma\x07 Corp"),
            (7, "Vendor Name", "")]
        assert [e["pointer"] for e in problem["errors"]] == ["/3/Vendor Name", "/4/HS Code", "/5/Vendor Name",
                                                            "/7/Vendor Name"]
        assert problem["detail"].startswith("4 problems in the file's rows: row 3, column 'Vendor Name': empty name")
        assert client.get("/v1/batches").json()["count"] == 0  # nothing stored

    def test_the_listed_problems_stop_at_the_cap_and_all_are_counted(self, client: TestClient) -> None:
        data = "Vendor Name,Country\n" + ",DE\n" * 1200 + "Acme,DE\n"
        problem = upload(client, data.encode()).json()
        assert len(problem["errors"]) == 1000
        assert "1,200 problems in the file's rows (the first 1,000 are listed)" in problem["detail"]
        assert problem["errors"][-1]["row"] == 1001
