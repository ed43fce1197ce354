"""Issue 15's name classes through the API: POST /v1/match, POST /v1/screenings and a batch upload."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from tests.api.test_batches import settings, upload, wait_done  # noqa: F401  (settings: the inline job runner)
from tests.name_classes import CASES, Case

IDS = [c.name[:40] for c in CASES]


class TestMatch:
    @pytest.mark.parametrize("case", CASES, ids=IDS)
    def test_every_listed_entry_comes_back_with_its_own_citation_and_consequence(self, client: TestClient,
                                                                                  case: Case) -> None:
        body = client.post("/v1/match", json={"name": case.name, "chinese_name": case.chinese or None}).json()
        found = {m["entry_id"]: m for m in body["matches"]}
        assert case.entries <= set(found)
        if not case.entries:
            assert body["matches"] == []
        for entry_id in case.entries:
            match = found[entry_id]
            assert match["citation"]
            assert match["consequence"]
            linked = {e["entry_id"] for e in match["linked_entries"]}
            assert linked == (case.entries & linked)  # the same entity's other entries, nothing else

    def test_cleaned_name_and_ignored_noise_are_shown(self, client: TestClient) -> None:
        name = "Hoshine Silicon Industry Shanshan Co Ltd Attn Purchasing"
        body = client.post("/v1/match", json={"name": name}).json()
        assert body["query_name"] == "Hoshine Silicon Industry Shanshan Co Ltd"
        assert body["ignored"] == ["Attn Purchasing"]

    def test_reversed_name_is_matched_and_shown_as_displayed(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "\u202e" + "Aksu Huafu Color Spinning Co., Ltd."[::-1]}).json()
        assert body["query_name"] == "Aksu Huafu Color Spinning Co., Ltd."
        assert body["matches"][0]["entry_id"] == "uflpa-049"

    def test_linked_entries_each_with_their_consequence(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "XPCC"}).json()
        by_source = {m["source"]: m for m in body["matches"]}
        assert set(by_source) == {"uflpa_entity_list", "cbp_wro", "ofac_sdn", "bis_entity_list"}
        assert len({m["consequence"] for m in by_source.values()}) == 4
        assert len({m["citation"] for m in by_source.values()}) == 4

    def test_parent_explains_the_missing_qualifier(self, client: TestClient) -> None:
        body = client.post("/v1/match", json={"name": "Daqo New Energy Corp."}).json()
        top = body["matches"][0]
        assert top["band"] == "review"
        assert top["features"]["missing_qualifier"] == ["xinjiang"]

    def test_compare_corps_and_corporation(self, client: TestClient) -> None:
        body = client.post("/v1/compare", json={"a": {"name": "Xinjiang Production and Construction Corporation"},
                                                "b": {"name": "Xinjiang Production and Construction Corps"}}).json()
        assert body["band"] == "strong"
        assert body["score"] >= 0.97


class TestScreenings:
    @pytest.mark.parametrize("case", CASES, ids=IDS)
    def test_verdict_and_evidence(self, client: TestClient, case: Case) -> None:
        party = {"role": "supplier", "name": case.name, **({"chinese_name": case.chinese} if case.chinese else {})}
        response = client.post("/v1/screenings", json={"reference": "R", "kind": "supplier", "parties": [party]})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["verdict"] == case.verdict
        matched = {e["list_entry"]["entry_id"] for e in body["evidence"] if e["type"] == "list_match"}
        assert case.entries <= matched

    def test_parent_evidence_names_the_missing_qualifier(self, client: TestClient) -> None:
        body = client.post("/v1/screenings", json={"reference": "R", "kind": "supplier", "parties": [
            {"role": "supplier", "name": "JA Solar Technology Co., Ltd."}]}).json()
        summary = next(e["summary"] for e in body["evidence"] if e["type"] == "list_match")
        assert "'donghai'" in summary
        assert "parent or a sister" in summary

    def test_linked_evidence_names_every_list(self, client: TestClient) -> None:
        body = client.post("/v1/screenings", json={"reference": "R", "kind": "supplier", "parties": [
            {"role": "supplier", "name": "Bingtuan"}]}).json()
        sdn = next(e for e in body["evidence"] if e.get("list_entry", {}).get("entry_id") == "ofac-002")
        linked = sdn["match"]["linked_entries"]
        assert {e["entry_id"] for e in linked} == {"uflpa-005", "cbp-010", "bis-005"}
        assert len({e["consequence"] for e in linked}) == 3


class TestBatchUpload:
    def test_every_class_in_one_upload(self, client: TestClient) -> None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Vendor ID", "Vendor Name", "Chinese Name"])
        writer.writerows([f"V{i:03d}", c.name, c.chinese] for i, c in enumerate(CASES))
        batch_id = upload(client, out.getvalue().encode("utf-8")).json()["id"]
        assert wait_done(client, batch_id)["status"] == "done"
        rows = json.loads(client.get(f"/v1/batches/{batch_id}/results", params={"format": "json"}).content)["rows"]
        assert [r["verdict"] for r in rows] == [c.verdict for c in CASES]
