"""Batch progress, review filters, the evidence page, decisions from the console, downloads and lists."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient

from service.store.tables import BatchRow
from service.ui.batches import progress
from tests.conftest import add_key
from tests.ui.conftest import SUPPLIERS, finish, login, supplier_csv, upload


def done_batch(console: tuple[TestClient, str]) -> tuple[TestClient, str, str]:
    client, csrf = console
    batch = upload(client, csrf, supplier_csv())
    finish(client, batch)
    return client, csrf, batch


def test_eta_from_the_rate_so_far() -> None:
    now = datetime(2026, 1, 1, 12, 0, 10, tzinfo=UTC)
    batch = BatchRow(id="b", status="running", format="csv", mapping={}, mapping_source="auto", headers=[],
                     rows_total=1000, rows_done=250, chunks_total=4, file_sha256="", file_size=1,
                     counts={"clear": 240, "review": 10}, started_at=now - timedelta(seconds=10))
    p = progress(batch, now)
    assert p["percent"] == 25
    assert p["elapsed"] == 10
    assert p["eta"] == 30
    assert p["live"]
    assert p["counts"] == {"presumption": 0, "review": 10, "elevated": 0, "clear": 240}
    assert p["non_clear"] == 10
    assert progress(BatchRow(**{**batch.model_dump(), "status": "queued", "rows_done": 0, "started_at": None}),
                    now)["eta"] is None


def test_batch_page_shows_counts_and_downloads_when_done(console: tuple[TestClient, str]) -> None:
    client, _, batch = done_batch(console)
    page = client.get(batch).text
    assert 'data-status="done"' in page
    assert 'data-live="no"' in page
    assert re.search(r'data-verdict="presumption">[1-9]', page)
    assert f'href="{batch}/results.xlsx"' in page
    assert f'href="{batch}/report"' in page
    assert "Review" in page
    assert "供应商名称" in page
    assert client.get(f"{batch}/progress").text.count("<html") == 0
    listing = client.get("/ui/batches").text
    assert "suppliers.csv" in listing
    assert batch in listing


def test_review_lists_non_clear_rows_with_filters_and_sorting(console: tuple[TestClient, str]) -> None:
    client, _, batch = done_batch(console)
    page = client.get(f"{batch}/review").text
    assert "Hoshine Silicon Industry (Shanshan) Co., Ltd." in page
    assert "新疆合盛硅业有限公司" in page
    assert "Krones AG" not in page  # clear rows are not for review
    verdicts = re.findall(r'<tr data-verdict="(\w+)">', page)
    assert verdicts
    assert "clear" not in verdicts
    assert "presumption" in verdicts
    only = client.get(f"{batch}/review", params={"verdict": "presumption"}).text
    assert set(re.findall(r'<tr data-verdict="(\w+)">', only)) == {"presumption"}
    scores = [int(s) for s in re.findall(r'<td class="num"><strong>(\d+)</strong>', page)]
    assert scores == sorted(scores, reverse=True)
    ascending = client.get(f"{batch}/review", params={"sort": "-score"}).text
    assert [int(s) for s in re.findall(r'<td class="num"><strong>(\d+)</strong>', ascending)] == sorted(scores)
    high = client.get(f"{batch}/review", params={"min_score": 90}).text
    assert all(int(s) >= 90 for s in re.findall(r'<td class="num"><strong>(\d+)</strong>', high))
    assert '<option value="Silica-based products">' in page
    silica = client.get(f"{batch}/review", params={"sector": "Silica-based products"}).text
    assert "Hoshine" in silica
    assert "Hetian Haolin" not in silica
    assert client.get(f"{batch}/review", params={"verdict": "bogus"}).status_code == 422
    form = client.get(f"{batch}/review", params={"verdict": "", "sector": "", "min_score": "", "sort": "score"})
    assert form.status_code == 200
    assert form.text.count("<tr data-verdict=") == len(verdicts)


def test_row_page_shows_the_evidence(console: tuple[TestClient, str]) -> None:
    client, _, batch = done_batch(console)
    page = client.get(f"{batch}/rows/2").text
    assert 'id="verdict">presumption<' in page
    assert "Name in your file" in page
    assert "Name on the list" in page
    assert "<mark>" in page
    assert "DHS UFLPA Entity List" in page  # citation
    assert 'class="date-listed">2021-06-24<' in page  # the BIS entry's listing date
    assert "Xinjiang place" in page
    assert "鄯善" in page
    assert "Silica-based products" in page
    assert "Exposure term" in page
    assert "Rebuttal checklist" in page
    assert "<li><span class=\"cat\">route</span>" in page
    assert "Record decision" in page
    assert 'value="analyst"' in page
    assert "spreadsheet row 2" in page  # the row as uploaded: header is row 1
    report = client.get(f"{batch}/rows/2/report")
    assert report.status_code == 200
    assert 'id="verdict">presumption<' in report.text
    assert "route" in report.text
    assert 'type="checkbox"' in report.text
    assert client.get(f"{batch}/rows/6").status_code == 404  # Krones AG is clear: no evidence page


def test_decision_from_the_console_is_recorded_and_reflected(console: tuple[TestClient, str]) -> None:
    client, csrf, batch = done_batch(console)
    form = {"csrf": csrf, "source": "uflpa_entity_list", "entry_id": "uflpa-002", "decision": "false_positive",
            "reason": "Different company: hair-accessory trader in Guangzhou", "analyst": "j.doe"}
    row = 2 + next(i for i, r in enumerate(SUPPLIERS) if r[0] == "V-002")  # the spreadsheet row
    response = client.post(f"{batch}/rows/{row}/decisions", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Decision recorded: <strong>false positive</strong>" in page
    assert "by <strong>j.doe</strong>" in page
    assert "hair-accessory trader" in page
    assert 'id="verdict-now"' in page
    review = client.get(f"{batch}/review").text
    assert "false positive</span>" in review
    api = client.get("/v1/decisions", headers={"X-API-Key": add_key(client, scopes=("read",))}).json()
    assert [(d["entry_id"], d["decision"], d["party"]["country"]) for d in api["data"]] == [
        ("uflpa-002", "false_positive", "CN")]
    decision_id = api["data"][0]["id"]
    withdrawn = client.post(f"/ui/decisions/{decision_id}/revoke",
                            data={"csrf": csrf, "back": f"{batch}/rows/{row}"}, follow_redirects=False)
    assert withdrawn.status_code == 303
    assert "Decision withdrawn." in client.get(withdrawn.headers["location"]).text


def test_decision_without_reason_or_for_an_unknown_entry_is_explained(console: tuple[TestClient, str]) -> None:
    client, csrf, batch = done_batch(console)
    form = {"csrf": csrf, "source": "uflpa_entity_list", "entry_id": "uflpa-003", "decision": "confirmed",
            "reason": " ", "analyst": "a"}
    response = client.post(f"{batch}/rows/2/decisions", data=form)
    assert response.status_code == 422
    assert "Give a reason and the analyst" in response.text
    unknown = client.post(f"{batch}/rows/2/decisions", data={**form, "reason": "x", "entry_id": "nope"})
    assert unknown.status_code == 422
    assert "no entry &#39;nope&#39; in the active version" in unknown.text


def test_downloads_and_report(console: tuple[TestClient, str]) -> None:
    client, _, batch = done_batch(console)
    xlsx = client.get(f"{batch}/results.xlsx")
    assert xlsx.status_code == 200
    assert "suppliers-flrisk.xlsx" in xlsx.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "新疆合盛硅业有限公司"
    assert len(rows) == len(SUPPLIERS) + 1
    csv = client.get(f"{batch}/results.csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert "新疆合盛硅业有限公司" in csv.content.decode("utf-8-sig")
    report = client.get(f"{batch}/report")
    assert report.status_code == 200
    assert "Supplier-list screening report" in report.text


def test_other_organisations_batches_are_not_found(console: tuple[TestClient, str]) -> None:
    client, _, batch = done_batch(console)
    client.cookies.clear()
    login(client, name="other", scopes=("read", "screen"))
    # the same organisation: visible; another organisation: "not found", never its data
    assert client.get(batch).status_code == 200
    client.cookies.clear()
    key = add_key(client, org="acme", name="acme")
    client.post("/ui/login", data={"api_key": key})
    for path in (batch, f"{batch}/review", f"{batch}/rows/2", f"{batch}/results.xlsx", f"{batch}/report"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Hoshine" not in response.text
    assert "suppliers.csv" not in client.get("/ui/batches").text


def test_lists_page_and_admin_history(console: tuple[TestClient, str]) -> None:
    client, _ = console
    page = client.get("/ui/lists").text
    for source in ("uflpa_entity_list", "cbp_wro", "ofac_sdn", "bis_entity_list"):
        assert f'data-source="{source}"' in page
    assert "UFLPA Entity List (DHS)" in page
    assert ">149<" in page
    assert "2026-06-26" in page
    history = client.get("/ui/lists/uflpa_entity_list/versions").text
    assert "version history" in history
    assert "active</span>" in history
    assert client.get("/ui/lists/nope/versions").status_code == 404


def test_review_pages(console: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.ui.review.PAGE_ROWS", 3)
    client, _, batch = done_batch(console)
    first = client.get(f"{batch}/review").text
    assert "Page 1 of 2" in first
    assert first.count("<tr data-verdict=") == 3
    second = client.get(f"{batch}/review", params={"page": 2}).text
    assert second.count("<tr data-verdict=") == 1
    assert "‹ Previous" in second
