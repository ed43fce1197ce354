"""Issue 14, "status everywhere", on SQLite and PostgreSQL: every screening result, stored result, batch, batch
row, export and report says which list versions it was screened against and warns when one was stale or is
known to be partial. The shipped UFLPA version holds 149 of the 187 entities the official list had after
2026-08-03, so it is partial; a list is made current or stale by setting its last check in the database."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.settings import Settings
from service.store.tables import ListSource
from service.timestamps import utcnow
from tests.api.test_batches import upload, wait_done
from tests.conftest import TEST_SECRET
from tests.factories import party, record
from tests.hardening.test_hot_path import statements

PARTIAL = "UFLPA Entity List: 149 entities loaded; the official list had 187 after 2026-08-03."
# The shipped BIS extract has no official count; its coverage note declares it partial.
BIS_PARTIAL = ("BIS Entity List: known to be partial, 5 entries loaded: only the five XUAR forced-labour listings "
               "effective 2021-06-24; the October 2019 and 2020 Xinjiang rounds are not included. Load the "
               "trade.gov Consolidated Screening List for full coverage.")
SOURCES = ["bis_entity_list", "cbp_wro", "ofac_sdn", "uflpa_entity_list"]
ORDINARY = party(name="Nordic Apparel Components GmbH", country="DE")
CAVEAT = "Clear only as far as the lists go"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=60, jobs_backend="inline", batch_chunk_rows=2,
                    secret_key=TEST_SECRET)


def set_checked(client: TestClient, days_ago: float, sources: list[str] | None = None) -> None:
    """Record a successful check `days_ago` for the sources (all by default), as `flrisk lists sync` would,
    and let the process's list view see it."""
    app: Any = client.app
    with Session(app.state.engine) as session:
        for row in session.exec(select(ListSource)):
            if sources is None or row.source in sources:
                row.last_checked_at = utcnow() - timedelta(days=days_ago)
                session.add(row)
        session.commit()
    app.state.registry.refresh()


def screen(client: TestClient, parties: list[dict[str, object]] | None = None) -> dict[str, Any]:
    response = client.post("/v1/screenings", json=record(parties=parties or [ORDINARY]))
    assert response.status_code == 201, response.text
    return dict(response.json())


def by_source(lists: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {u["source"]: u for u in lists}


class TestSingleScreening:
    def test_the_shipped_lists_are_named_and_their_warnings_given(self, client: TestClient) -> None:
        result = screen(client)
        lists = by_source(result["lists"])
        assert sorted(lists) == SOURCES
        uflpa = lists["uflpa_entity_list"]
        assert (uflpa["entry_count"], uflpa["snapshot_date"]) == (149, "2026-06-26")
        assert uflpa["last_checked_at"].startswith("2026-06-26T00:00:00")  # never checked: its snapshot date
        assert uflpa["coverage_note"].startswith("PARTIAL: 149 of the 187 entities")
        assert uflpa["version"] == int(result["list_versions"]["uflpa_entity_list"].split()[0][1:])
        assert set(uflpa) == {"source", "version", "entry_count", "snapshot_date", "last_checked_at", "stale",
                              "coverage_note"}
        assert PARTIAL in result["warnings"]

    def test_current_lists_warn_only_about_the_partial_one(self, client: TestClient) -> None:
        set_checked(client, days_ago=1)
        result = screen(client)
        assert [u["stale"] for u in result["lists"]] == [False] * 4
        assert result["warnings"] == [BIS_PARTIAL, PARTIAL]
        assert result["verdict"] == "clear"
        assert result["summary"].endswith(
            "Clear only as far as the lists go: some are known to be partial (BIS Entity List, UFLPA Entity List), "
            "so an entity missing from them was not screened (see warnings).")

    def test_a_list_not_checked_within_its_max_age_is_stale_and_named(self, client: TestClient) -> None:
        set_checked(client, days_ago=1)
        set_checked(client, days_ago=30, sources=["cbp_wro"])
        result = screen(client)
        assert {s: u["stale"] for s, u in by_source(result["lists"]).items()} == {
            "bis_entity_list": False, "cbp_wro": True, "ofac_sdn": False, "uflpa_entity_list": False}
        stale = [w for w in result["warnings"] if w.startswith("CBP withhold release order: last checked")]
        assert len(stale) == 1
        assert "more than 7 days ago" in stale[0]
        assert ("some are known to be partial (BIS Entity List, UFLPA Entity List) and some stale (CBP withhold "
                "release order)") in result["summary"]

    def test_a_source_with_its_own_max_age(self, client: TestClient) -> None:
        set_checked(client, days_ago=10)
        app: Any = client.app
        with Session(app.state.engine) as session:
            for row in session.exec(select(ListSource)):
                row.max_age_days = 30 if row.source != "ofac_sdn" else 7
                session.add(row)
            session.commit()
        app.state.registry.refresh()
        lists = by_source(screen(client)["lists"])
        assert [s for s, u in lists.items() if u["stale"]] == ["ofac_sdn"]

    def test_a_presumption_is_not_given_the_clear_caveat(self, client: TestClient) -> None:
        result = screen(client, [party(role="manufacturer", name="Hoshine Silicon Industry (Shanshan) Co., Ltd",
                                       country="CN")])
        assert result["verdict"] == "presumption"
        assert CAVEAT not in result["summary"]
        assert PARTIAL in result["warnings"]

    def test_no_list_status_is_read_from_the_database_per_screening(self, client: TestClient) -> None:
        app: Any = client.app
        engine: Engine = app.state.engine
        screen(client)  # the key is verified and cached, the view's status computed
        with statements(engine) as seen:
            screen(client)
        assert not [s for s in seen if "FROM list_" in s or "JOIN list_" in s], seen


class TestStoredScreening:
    def test_a_stored_result_shows_the_lists_as_they_were_when_screened(self, client: TestClient) -> None:
        before = screen(client)  # the shipped lists, all stale
        set_checked(client, days_ago=0)
        after = screen(client)
        stored = client.get(f"/v1/screenings/{before['id']}").json()
        assert stored["lists"] == before["lists"]
        assert [u["stale"] for u in stored["lists"]] == [True] * 4
        assert stored["warnings"] == before["warnings"]
        assert [u["stale"] for u in after["lists"]] == [False] * 4
        listed = client.get("/v1/screenings", params={"reference": "PO-1"}).json()["data"]
        assert {r["id"]: len(r["lists"]) for r in listed} == {before["id"]: 4, after["id"]: 4}

    def test_its_report_has_the_lists_section_with_the_warnings(self, client: TestClient) -> None:
        result = screen(client)
        html = client.get(f"/v1/screenings/{result['id']}/report").text
        section = html[html.index('<section id="lists-screened">'):html.index("</section>",
                                                                             html.index("lists-screened"))]
        assert "<h2>Lists screened against</h2>" in section
        assert section.count("<strong>stale</strong>") == 4
        assert f"<li>{PARTIAL}</li>" in section
        assert '<td class="num">149</td>' in section
        assert CAVEAT in html  # the summary in the banner


CSV_ROWS = ("Vendor ID,Vendor Name,Country\n"
            "V-1,Nordic Apparel Components GmbH,DE\n"
            "V-2,Hoshine Silicon Industry (Shanshan) Co. Ltd,CN\n"
            "V-3,Krones AG,DE\n")


def batch(client: TestClient) -> dict[str, Any]:
    created = upload(client, CSV_ROWS.encode())
    assert created.status_code == 202, created.text
    done = wait_done(client, created.json()["id"])
    assert done["status"] == "done"
    return done


class TestBatch:
    def test_the_batch_and_its_rows_carry_the_lists(self, client: TestClient) -> None:
        set_checked(client, days_ago=1)
        set_checked(client, days_ago=30, sources=["uflpa_entity_list"])
        done = batch(client)
        assert {s: (u["entry_count"], u["stale"]) for s, u in by_source(done["lists"]).items()} == {
            "bis_entity_list": (5, False), "cbp_wro": (41, False), "ofac_sdn": (12, False),
            "uflpa_entity_list": (149, True)}
        assert done["warnings"][:2] == [BIS_PARTIAL, PARTIAL]
        assert done["warnings"][2].startswith("UFLPA Entity List: last checked against the official source on ")
        row = client.get(f"/v1/screenings/{done['id']}-r2").json()  # V-1, clear
        assert row["verdict"] == "clear"
        assert row["lists"] == done["lists"]
        assert row["warnings"] == done["warnings"]
        assert CAVEAT in row["summary"]
        html = client.get(f"/v1/batches/{done['id']}/report").text
        assert f"<li>{PARTIAL}</li>" in html
        assert html.count("<strong>stale</strong>") == 1

    def test_exports_csv_json_xlsx(self, client: TestClient) -> None:
        set_checked(client, days_ago=1)
        done = batch(client)
        cell = ("bis_entity_list v{} (partial); cbp_wro v{}; ofac_sdn v{}; uflpa_entity_list v{} (149 of 187 entities)"
                .format(*(by_source(done["lists"])[s]["version"] for s in SOURCES)))
        data = client.get(f"/v1/batches/{done['id']}/results", params={"format": "csv"}).content
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert records[0][-1] == "flrisk_lists"
        assert [r[-1] for r in records[1:]] == [cell] * 3
        document = client.get(f"/v1/batches/{done['id']}/results", params={"format": "json"}).json()
        assert document["lists"] == done["lists"]
        assert document["warnings"] == [BIS_PARTIAL, PARTIAL]
        assert [r["cells"]["Vendor ID"] for r in document["rows"]] == ["V-1", "V-2", "V-3"]
        workbook = openpyxl.load_workbook(io.BytesIO(
            client.get(f"/v1/batches/{done['id']}/results", params={"format": "xlsx"}).content))
        sheet = list(workbook["lists screened against"].iter_rows(values_only=True))
        assert [r[0] for r in sheet[1:5]] == SOURCES
        assert sheet[4][2] == 149
        assert sheet[4][5] is False
        assert [r[0] for r in sheet[6:]] == ["warnings", BIS_PARTIAL, PARTIAL]
        results = list(workbook["flrisk results"].iter_rows(values_only=True))
        assert {r[-1] for r in results[1:]} == {cell}
