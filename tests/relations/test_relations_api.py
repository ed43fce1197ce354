"""Relations end to end on SQLite and PostgreSQL: versioned loads, screenings (single, batch, upload), the
relations endpoints and the evidence report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.lists.active import read_active
from service.relations.errors import RelationsLoadError
from service.relations.update import RelationsUpdate, run_update
from service.settings import Settings
from service.store import relations_repo
from service.store.db import transaction
from service.store.tables import AuditEventRow
from tests.conftest import TEST_SECRET
from tests.factories import party, record
from tests.relations.conftest import FTM_FILE, LEI_FILE, RR_FILE

GLEIF_FILES = [str(LEI_FILE), str(RR_FILE)]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, list_poll_seconds=0.2, jobs_backend="inline", batch_chunk_rows=2,
                    secret_key=TEST_SECRET)


def load(engine: Engine, files: list[str], *, hops: int = 2, allow_shrink: bool = False) -> Any:
    with transaction(engine) as session:
        return run_update(session, read_active(engine), RelationsUpdate(files, hops=hops, allow_shrink=allow_shrink),
                          max_shrink_ratio=0.2)


@pytest.fixture
def loaded(client: TestClient) -> TestClient:
    """The app with the generated GLEIF and FtM relations loaded and picked up."""
    engine = client.app.state.engine
    load(engine, GLEIF_FILES)
    load(engine, [str(FTM_FILE)])
    client.app.state.relations.refresh()
    return client


def screen(client: TestClient, name: str, country: str = "CN") -> dict[str, Any]:
    response = client.post("/v1/screenings", json=record(parties=[party(name=name, country=country)]))
    assert response.status_code == 201, response.text
    return response.json()


def ownership(result: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in result["evidence"] if e["type"] == "ownership" and e["list_entry"]["entry_id"] == entry_id)


@pytest.fixture
def lists_engine(engine: Engine, settings: Settings) -> Engine:
    """A migrated database with the shipped lists loaded, as on a first start."""
    from service.bootstrap import prepare_database

    prepare_database(engine, settings)
    return engine


class TestVersions:
    def test_refused_before_any_list_is_loaded(self, engine: Engine) -> None:
        with pytest.raises(RelationsLoadError, match="no list is loaded yet"):
            load(engine, GLEIF_FILES)

    def test_load_then_identical_is_a_no_op_and_audited(self, lists_engine: Engine) -> None:
        engine = lists_engine
        first = load(engine, GLEIF_FILES)
        assert (first.status, first.source, first.relation_count, first.previous_count) == ("loaded", "gleif", 9, None)
        again = load(engine, GLEIF_FILES)
        assert (again.status, again.version_id) == ("unchanged", first.version_id)
        with Session(engine) as session:
            events = session.exec(select(AuditEventRow).where(AuditEventRow.type == "relations.updated")).all()
            version = relations_repo.active_version(session, "gleif")
        assert [e.details["relations"] for e in events] == [9]
        assert version is not None
        assert version.org_count == 6
        assert "9 relations among 6 organisations within 2 hops" in (version.coverage_note or "")

    def test_shrink_is_refused_unless_allowed_and_history_is_kept(self, lists_engine: Engine) -> None:
        engine = lists_engine
        first = load(engine, GLEIF_FILES)
        with pytest.raises(RelationsLoadError, match="shrink the relations from 9 to 7"):
            load(engine, GLEIF_FILES, hops=1)
        with Session(engine) as session:
            assert relations_repo.active_pointers(session) == {"gleif": first.version_id}
        second = load(engine, GLEIF_FILES, hops=1, allow_shrink=True)
        with Session(engine) as session:
            assert relations_repo.active_pointers(session) == {"gleif": second.version_id}
            assert [v.id for v in relations_repo.versions_of(session, "gleif")] == [second.version_id,
                                                                                   first.version_id]
            assert len(relations_repo.relations_of(session, first.version_id)) == 9

    def test_no_listed_entity_found_is_refused(self, lists_engine: Engine, tmp_path: Path) -> None:
        engine = lists_engine
        ftm = tmp_path / "none.ftm.json"
        ftm.write_text('{"id": "a", "schema": "Company", "properties": {"name": ["Nobody Listed Co"]}}\n', "utf-8")
        with pytest.raises(RelationsLoadError, match="refusing to activate an empty opensanctions version"):
            load(engine, [str(ftm)])
        with Session(engine) as session:
            assert relations_repo.active_pointers(session) == {}


class TestScreenings:
    def test_subsidiary_presumption_with_the_path_and_versions(self, loaded: TestClient) -> None:
        result = screen(loaded, "KESTREL CRYSTAL MATERIALS CO LTD")
        assert result["verdict"] == "presumption"
        item = ownership(result, "uflpa-003")
        assert (item["effect"], item["rule"]) == ("presumption", "listing_scope")
        assert [s["name"] for s in item["path"]] == ["Kestrel Crystal Materials Co., Ltd.",
                                                     "HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.",
                                                     "Hoshine Silicon Industry (Shanshan) Co., Ltd"]
        assert item["match"]["score"] == 1.0
        assert result["list_versions"]["relations:gleif"].startswith("v")
        assert "relations:opensanctions" in result["list_versions"]
        stored = loaded.get(f"/v1/screenings/{result['id']}").json()
        assert stored["evidence"] == result["evidence"]

    def test_batch_of_records(self, loaded: TestClient) -> None:
        body = {"records": [record(reference=f"R{i}", parties=[party(name=n, country=c)])
                            for i, (n, c) in enumerate([("Saltmarsh Orchard Trading Co Ltd", "CN"),
                                                        ("Quillfeather Metals Co Ltd", "CN"),
                                                        ("Ormsby Solar Glass Co Ltd", "CN")])]}
        response = loaded.post("/v1/screenings:batch", json=body)
        assert response.status_code == 201, response.text
        results = response.json()["data"]
        assert [r["verdict"] for r in results] == ["review", "clear", "review"]
        assert ownership(results[0], "ofac-002")["rule"] == "ofac_50_percent"
        assert "sister company" in ownership(results[2], "uflpa-003")["reason"]

    def test_uploaded_supplier_list(self, loaded: TestClient) -> None:
        csv = b"Vendor Name,Country\nBrightmoor Quartz Trading Co Ltd,CN\nAcme Fasteners Inc,US\n"
        batch = loaded.post("/v1/batches", files={"file": ("v.csv", csv)}).json()
        loaded.app.state.jobs.drain()
        deadline = time.monotonic() + 30
        while loaded.get(f"/v1/batches/{batch['id']}").json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        findings = loaded.get(f"/v1/batches/{batch['id']}/findings").json()["data"]
        assert [f["verdict"] for f in findings] == ["presumption"]
        assert ownership(findings[0]["result"], "uflpa-003")["path"][0]["lei"] == "TESTBRIGHTMOOR000094"
        rows = loaded.get(f"/v1/batches/{batch['id']}/results", params={"format": "json"}).json()["rows"]
        assert rows[0]["top_match_entry"] in ("uflpa-003", "cbp-012", "bis-004")

    def test_report_shows_the_chain(self, loaded: TestClient) -> None:
        result = screen(loaded, "Pelham Polysilicon Singapore Branch", "SG")
        html = loaded.get(f"/v1/screenings/{result['id']}/report").text
        assert "Ownership path (branch)" in html
        assert "LEI TESTPELHAM0000000094" in html
        assert "branch of" in html
        assert "Related organisation matched" in html

    def test_without_loaded_relations_the_subsidiary_is_clear(self, client: TestClient) -> None:
        assert screen(client, "Kestrel Crystal Materials Co Ltd")["verdict"] == "clear"


class TestRelationsEndpoints:
    def test_by_name(self, loaded: TestClient) -> None:
        body = loaded.get("/v1/relations", params={"name": "Kestrel Crystal Materials"}).json()
        found = body["data"][0]
        assert found["party"]["lei"] == "TESTKESTREL000000033"
        assert {(r["relation"], r["other"]["name"], r["source"]) for r in found["relations"]} == {
            ("subsidiary_of", "HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.", "gleif"),
            ("parent_of", "Brightmoor Quartz Trading Co., Ltd.", "gleif")}
        assert {p["list_entry"]["entry_id"]: p["effect_if_strong_match"] for p in found["paths"]} == {
            "uflpa-003": "presumption", "cbp-012": "review", "bis-004": "review"}

    def test_entry_relations(self, loaded: TestClient) -> None:
        body = loaded.get("/v1/lists/uflpa_entity_list/entries/uflpa-003/relations").json()
        assert body["party"]["list_entry"] == {"source": "uflpa_entity_list", "entry_id": "uflpa-003"}
        assert [r["relation"] for r in body["relations"]] == ["same_as"]
        starts = {p["path"][0]["name"]: p["rule"] for p in body["paths"]}
        assert starts == {"Kestrel Crystal Materials Co., Ltd.": "listing_scope",
                          "Brightmoor Quartz Trading Co., Ltd.": "listing_scope",
                          "Pelham Polysilicon Singapore Branch": "branch",
                          "Tamarind Holdings Group Co., Ltd.": "related", "Ormsby Solar Glass Co., Ltd.": "related",
                          "HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.": "same_entity"}
        missing = loaded.get("/v1/lists/uflpa_entity_list/entries/nope/relations")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"

    def test_status_and_versions(self, loaded: TestClient) -> None:
        status = loaded.get("/v1/relations/status").json()
        assert {r["source"]: r["relation_count"] for r in status["data"]} == {"gleif": 9, "opensanctions": 11}
        assert status["related_orgs"] == 13
        assert status["list_relations"] == 0  # the shipped snapshot names no subsidiaries as their own entries
        versions = loaded.get("/v1/relations/gleif/versions").json()
        assert versions["count"] == 1
        assert versions["data"][0]["active"] is True
        assert loaded.get("/v1/relations/nope/versions").status_code == 404

    def test_needs_a_key(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get("/v1/relations/status").status_code == 401
