from fastapi.testclient import TestClient

from service.native import build_mode
from tests.api.test_list_usage import set_checked

SNAPSHOT_COUNTS = {"uflpa_entity_list": 149, "cbp_wro": 41, "ofac_sdn": 12, "bis_entity_list": 5}


class TestListSources:
    def test_every_source_with_counts_dates_and_coverage(self, client: TestClient) -> None:
        body = client.get("/v1/lists").json()
        by_source = {d["source"]: d for d in body["data"]}
        assert {s: d["entry_count"] for s, d in by_source.items()} == SNAPSHOT_COUNTS
        uflpa = by_source["uflpa_entity_list"]
        assert uflpa["snapshot_date"] == "2026-06-26"
        assert "PARTIAL" in uflpa["coverage_note"]
        assert uflpa["stale"] is True  # the shipped data is from June 2026
        assert len(uflpa["active_version"]["content_hash"]) == 64
        assert uflpa["active_version"]["origin"] == "snapshot:fixtures/lists/uflpa_entity_list.csv"

    def test_versions_history(self, client: TestClient) -> None:
        body = client.get("/v1/lists/cbp_wro/versions").json()
        assert body["count"] == 1
        assert body["data"][0]["active"] is True


class TestEntries:
    def test_filter_by_alias_case_insensitive(self, client: TestClient) -> None:
        body = client.get("/v1/lists/uflpa_entity_list/entries", params={"q": "HOSHINE"}).json()
        assert body["count"] >= 1
        assert all("hoshine" in (e["name"] + " ".join(e["aliases"])).lower() for e in body["data"])

    def test_paging(self, client: TestClient) -> None:
        first = client.get("/v1/lists/uflpa_entity_list/entries", params={"limit": 10}).json()
        second = client.get("/v1/lists/uflpa_entity_list/entries", params={"limit": 10, "offset": 10}).json()
        assert first["count"] == 149
        assert len(first["data"]) == 10
        assert {e["entry_id"] for e in first["data"]}.isdisjoint({e["entry_id"] for e in second["data"]})

    def test_one_entry_keeps_citation(self, client: TestClient) -> None:
        body = client.get("/v1/lists/ofac_sdn/entries/ofac-002").json()
        assert body["name"] == "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"
        assert body["chinese_names"] == ["新疆生产建设兵团"]
        assert body["citation"] == ("OFAC Specially Designated Nationals and Blocked Persons List, entry 29299 "
                                    "(program GLOMAG, E.O. 13818)")

    def test_region_wide_order_flagged(self, client: TestClient) -> None:
        body = client.get("/v1/lists/cbp_wro/entries/cbp-011").json()
        assert body["match_by_name"] is False

    def test_unknown_source_is_problem_json(self, client: TestClient) -> None:
        response = client.get("/v1/lists/nope/entries")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "unknown list source 'nope'"

    def test_unknown_entry_404(self, client: TestClient) -> None:
        assert client.get("/v1/lists/ofac_sdn/entries/999999").status_code == 404

    def test_bad_limit_points_at_parameter(self, client: TestClient) -> None:
        response = client.get("/v1/lists/ofac_sdn/entries", params={"limit": 0})
        assert response.status_code == 422
        assert response.json()["errors"][0] == {"source": "query", "pointer": "/limit",
                                                "detail": "Input should be greater than or equal to 1"}


class TestHealth:
    def test_health(self, client: TestClient) -> None:
        assert client.get("/health").json() == {"status": "ok"}

    def test_ready_reports_lists_and_stale(self, client: TestClient) -> None:
        body = client.get("/ready").json()
        assert body["status"] == "ready"
        assert body["lists"] == SNAPSHOT_COUNTS
        assert "uflpa_entity_list" in body["stale_sources"]

    def test_ready_counts_age_from_the_last_successful_check(self, client: TestClient) -> None:
        set_checked(client, days_ago=1, sources=["uflpa_entity_list"])
        stale = client.get("/ready").json()["stale_sources"]
        assert "uflpa_entity_list" not in stale  # its snapshot is months old, but it was checked yesterday
        assert "cbp_wro" in stale

    def test_ready_reports_how_the_screening_core_runs(self, client: TestClient) -> None:
        assert client.get("/ready").json()["matcher"] == build_mode()
