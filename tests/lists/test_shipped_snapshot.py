"""The shipped snapshot in `fixtures/lists/`: complete to its stated date, cited, no curation notes in sight."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.lists.parsers.snapshot_csv import read_snapshot_csv
from service.screening.model import ListEntry

LISTS = Path(__file__).parent.parent.parent / "fixtures" / "lists"
MANIFEST = json.loads((LISTS / "manifest.json").read_text("utf-8"))["sources"]
# Wording about how a row was researched; it belongs in `notes`, never in what users read.
CURATION = re.compile(r"not found|not captured|hand copy|public repo|test data|fixture|seed document|crawler|"
                      r"stored source|moov-io|page cite|curation", re.IGNORECASE)


def raw_rows(source: str) -> list[dict[str, str]]:
    with (LISTS / MANIFEST[source]["file"]).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def shipped() -> dict[str, list[ListEntry]]:
    return {source: read_snapshot_csv(LISTS / spec["file"], source=source) for source, spec in MANIFEST.items()}


class TestCompleteness:
    def test_entry_counts(self, shipped: dict[str, list[ListEntry]]) -> None:
        assert {s: len(e) for s, e in shipped.items()} == {
            "uflpa_entity_list": 149, "cbp_wro": 41, "ofac_sdn": 12, "bis_entity_list": 5}

    def test_earlier_ids_are_kept(self, shipped: dict[str, list[ListEntry]]) -> None:
        ids = {e.entry_id for e in shipped["uflpa_entity_list"]}
        assert {f"uflpa-{n:03d}" for n in range(1, 85)} <= ids
        assert {f"cbp-{n:03d}" for n in range(1, 13)} <= {e.entry_id for e in shipped["cbp_wro"]}

    def test_uflpa_official_count_is_stated(self) -> None:
        spec = MANIFEST["uflpa_entity_list"]
        assert spec["official_count"] == 187
        assert "149 of the 187" in spec["coverage_note"]


class TestCitations:
    def test_every_entry_has_a_citation_without_curation_wording(self, shipped: dict[str, list[ListEntry]]) -> None:
        entries = [e for group in shipped.values() for e in group]
        assert [e.entry_id for e in entries if not e.citation] == []
        assert [e.entry_id for e in entries if CURATION.search(e.citation or "")] == []
        assert [e.entry_id for e in entries if CURATION.search(e.legal_basis or "")] == []

    def test_uflpa_citations_name_the_dhs_list(self, shipped: dict[str, list[ListEntry]]) -> None:
        assert all("UFLPA Entity List" in (e.citation or "") for e in shipped["uflpa_entity_list"])

    def test_notes_never_reach_an_entry(self, shipped: dict[str, list[ListEntry]]) -> None:
        for source, entries in shipped.items():
            notes = {row["list_id"]: row["notes"] for row in raw_rows(source)}
            for entry in entries:
                note = notes[entry.entry_id]
                assert entry.remarks is None
                assert "notes" not in entry.extra
                if note:
                    assert note not in repr(entry)


class TestListingDetail:
    def test_an_entity_in_several_sections_carries_all(self, shipped: dict[str, list[ListEntry]]) -> None:
        xpcc = next(e for e in shipped["uflpa_entity_list"] if e.name.startswith("Xinjiang Production and"))
        assert xpcc.legal_basis is not None
        assert [s for s in ("(B)(i)", "(B)(ii)", "(B)(v)") if s in xpcc.legal_basis] == ["(B)(i)", "(B)(ii)", "(B)(v)"]

    def test_listing_scope_is_kept(self, shipped: dict[str, list[ListEntry]]) -> None:
        hoshine = next(e for e in shipped["uflpa_entity_list"] if e.entry_id == "uflpa-003")
        assert hoshine.extra["listing_scope"] == "and subsidiaries"

    def test_only_the_xinjiang_cbp_orders_are_tagged(self, shipped: dict[str, list[ListEntry]]) -> None:
        linked = sorted(e.entry_id for e in shipped["cbp_wro"] if e.xinjiang_linked)
        assert linked == [f"cbp-{n:03d}" for n in range(1, 13)]
        assert all(e.xinjiang_linked for e in shipped["uflpa_entity_list"])


class TestNothingOfTheNotesReachesUsers:
    def test_screening_and_report_show_citation_not_notes(self, client: TestClient) -> None:
        notes = [row["notes"] for row in raw_rows("uflpa_entity_list") if row["list_id"] == "uflpa-003"][0]
        response = client.post("/v1/screenings", json={
            "reference": "PO-1", "kind": "supplier",
            "parties": [{"role": "supplier", "name": "Hoshine Silicon Industry (Shanshan) Co., Ltd", "country": "CN"}]})
        assert response.status_code == 201
        body = response.text
        assert "dhs.gov/uflpa-entity-list" in body
        assert "page copy" not in body
        assert notes[:40] not in body
        report = client.get(f"/v1/screenings/{response.json()['id']}/report").text
        assert "dhs.gov/uflpa-entity-list" in report
        assert "page copy" not in report
        assert "earlier curation" not in report
