"""The report endpoints over HTTP, on SQLite and PostgreSQL, with real screenings against the shipped lists."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import TEST_SECRET, add_key
from tests.factories import goods, party, record

HOSHINE = record(reference="PO-42", parties=[party(role="manufacturer", name="HOSHINE SILICON IND (SHANSHAN) CO LTD",
                                                   country="CN")],
                 goods_lines=[goods(hs_code="2804.61", origin_country="CN", description="Polysilicon")])
VENDORS = (b"Vendor Name,Country,HS Code\n"
           b"HOSHINE SILICON IND (SHANSHAN) CO LTD,CN,2804.61\n"
           b"Krones AG,DE,8422.30\n"
           b"<script>alert(1)</script> Trading,DE,8422.30\n"
           b"Aksu Huaxing Fabric Mill,CN,6109.10\n")


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    secret_key=TEST_SECRET)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    from service.app import create_app

    with TestClient(create_app(settings)) as test_client:
        test_client.headers["X-API-Key"] = add_key(test_client)
        yield test_client


def screen(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/screenings", json=body)
    assert response.status_code == 201, response.json()
    return response.json()


def finished_batch(client: TestClient) -> dict[str, Any]:
    created = client.post("/v1/batches", files={"file": ("v.csv", VENDORS)})
    assert created.status_code == 202, created.json()
    client.app.state.jobs.drain()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = client.get(f"/v1/batches/{created.json()['id']}").json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError("batch did not finish")


class TestScreeningReport:
    def test_presumption_report_is_html_with_the_evidence(self, client: TestClient) -> None:
        result = screen(client, HOSHINE)
        response = client.get(f"/v1/screenings/{result['id']}/report")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        html = response.text
        assert '<div class="verdict" id="verdict">presumption</div>' in html
        assert result["id"] in html
        assert "DHS UFLPA Entity List" in html
        assert "2022-06-21" in html
        assert "<mark>" in html
        assert html.count('<input type="checkbox" disabled') == len(result["rebuttal_checklist"]) > 0
        for label in result["list_versions"].values():
            assert label in html

    def test_unknown_id_is_problem_json_404(self, client: TestClient) -> None:
        response = client.get("/v1/screenings/does-not-exist/report")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/not-found")

    def test_another_organisations_screening_is_not_found(self, client: TestClient) -> None:
        result = screen(client, HOSHINE)
        other = add_key(client, org="other", name="other")
        response = client.get(f"/v1/screenings/{result['id']}/report", headers={"X-API-Key": other})
        assert response.status_code == 404

    def test_a_key_is_required(self, client: TestClient) -> None:
        response = client.get("/v1/screenings/x/report", headers={"X-API-Key": ""})
        assert response.status_code == 401

    def test_pdf_is_a_pdf_or_a_406_problem(self, client: TestClient) -> None:
        result = screen(client, HOSHINE)
        response = client.get(f"/v1/screenings/{result['id']}/report", params={"format": "pdf"})
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError):
            assert response.status_code == 406
            assert response.json()["type"].endswith("/pdf-unavailable")
            return
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")

    def test_unknown_format_is_422(self, client: TestClient) -> None:
        result = screen(client, HOSHINE)
        response = client.get(f"/v1/screenings/{result['id']}/report", params={"format": "docx"})
        assert response.status_code == 422


class TestBatchReport:
    def test_report_has_counts_charts_and_non_clear_rows(self, client: TestClient) -> None:
        batch = finished_batch(client)
        assert batch["status"] == "done"
        response = client.get(f"/v1/batches/{batch['id']}/report")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        html = response.text
        for verdict, count in batch["counts"].items():
            assert f'<td class="num" data-verdict="{verdict}">{count}</td>' in html
        assert html.count("<svg") == 2
        assert "HOSHINE SILICON IND (SHANSHAN) CO LTD" in html
        assert "Aksu Huaxing Fabric Mill" in html
        assert "Krones AG" not in html  # clear rows are counted, not listed
        assert "<script>" not in html
        assert batch["id"] in html
        for label in batch["list_versions"].values():
            assert label in html

    def test_unknown_batch_is_problem_json_404(self, client: TestClient) -> None:
        response = client.get("/v1/batches/nope/report")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
