"""A CBP order CBP has lifted (status Revoked, Inactive or Modified) does not detain goods: a match on it is shown
with its status and the lifted-order consequence, never raises the verdict and asks for no detention documents.
Orders in force (Active, Partially Modified, no status stated) keep the detention consequence and the review.

The orders below are made up (names of no real company); CBP's status words are those of its dataset's
`Status` column (tests/lists/test_parsers_official.py).
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.lists.parsers.cbp_wro import LEGAL_BASIS
from service.lists.versions import LoadRequest, load_list
from service.refdata.loaders import load_checklist, load_gazetteer, load_hs, load_sectors
from service.screening.consequences import WRO_DETENTION, WRO_LIFTED, is_lifted, match_effect
from service.screening.matcher import MatchIndex, Thresholds
from service.screening.model import BIS_ENTITY_LIST, CBP_WRO, ListEntry
from service.screening.record import GoodsLine, Party, Record
from service.screening.region_orders import region_order_evidence
from service.screening.verdict import ScreeningContext, ScreeningOutcome, screen
from tests.factories import make_entry, party, record

LIFTED_NAME = "Kestrel Harbour Gloves Sdn Bhd"
ACTIVE_NAME = "Pelham Ridge Plantation Berhad"
BIS_NAME = "Tillingham Optics Research Institute"


def order(entry_id: str, name: str, status: str | None, *, country: str = "MY") -> ListEntry:
    extra = {"order_type": "WRO"} | ({"status": status} if status is not None else {})
    return dataclasses.replace(make_entry(source=CBP_WRO, entry_id=entry_id, name=name, country=country),
                               legal_basis=LEGAL_BASIS, extra=extra)


@cache
def context() -> ScreeningContext:
    bis = make_entry(source=BIS_ENTITY_LIST, entry_id="bis-1", name=BIS_NAME, country="CN", xinjiang_linked=True)
    entries = [order("cbp-t1", LIFTED_NAME, "Revoked"), order("cbp-t2", ACTIVE_NAME, "Active"), bis]
    return ScreeningContext(index=MatchIndex.build(entries), gazetteer=load_gazetteer(), hs=load_hs(),
                            sectors=load_sectors(), checklist=load_checklist(), thresholds=Thresholds())


def screened(*names: str) -> ScreeningOutcome:
    parties = tuple(Party("supplier", name, f"/parties/{i}", country="MY") for i, name in enumerate(names))
    return screen(Record("PO-1", "shipment", parties), context())


def checklist_ids(outcome: ScreeningOutcome) -> list[str]:
    return [item.id for item in outcome.checklist]


class TestStatus:
    @pytest.mark.parametrize("status", ["Revoked", "Inactive", "Modified", "revoked", " INACTIVE "])
    def test_lifted(self, status: str) -> None:
        assert is_lifted(status) is True

    @pytest.mark.parametrize("status", ["Active", "Partially Modified", "Partially Active", "", None])
    def test_in_force(self, status: str | None) -> None:
        assert is_lifted(status) is False

    def test_only_cbp_orders_have_a_status_that_lifts(self) -> None:
        other = dataclasses.replace(make_entry(source=BIS_ENTITY_LIST, xinjiang_linked=True),
                                    extra={"status": "Revoked"})
        assert match_effect(other, "strong") == "review"


class TestDomain:
    def test_match_on_a_lifted_order_is_informational_with_its_status(self) -> None:
        outcome = screened(LIFTED_NAME)

        assert outcome.verdict == "clear"
        [item] = [e for e in outcome.evidence if e.type == "list_match"]
        assert item.effect == "informational"
        assert item.consequence == WRO_LIFTED.format(status="Revoked")
        assert item.blocks["list_entry"]["status"] == "Revoked"
        assert "CBP lists the order as Revoked: not in force" in item.summary
        assert outcome.checklist == []

    def test_match_on_an_active_order_keeps_review_and_detention(self) -> None:
        outcome = screened(ACTIVE_NAME)

        assert outcome.verdict == "review"
        [item] = [e for e in outcome.evidence if e.type == "list_match"]
        assert (item.effect, item.consequence) == ("review", WRO_DETENTION)
        assert item.blocks["list_entry"]["status"] == "Active"
        assert "route.deadline" in checklist_ids(outcome)

    def test_order_without_a_status_stays_in_force(self) -> None:
        entry = order("cbp-t3", ACTIVE_NAME, None)
        assert match_effect(entry, "strong") == "review"

    def test_lifted_order_adds_no_detention_deadline_to_a_review(self) -> None:
        """A Xinjiang-tied BIS match makes the record `review` (no deadline of its own); the lifted order beside
        it must not add the detention-deadline item that the active order adds."""
        lifted = screened(LIFTED_NAME, BIS_NAME)
        active = screened(ACTIVE_NAME, BIS_NAME)

        assert (lifted.verdict, active.verdict) == ("review", "review")
        assert "route.deadline" not in checklist_ids(lifted)
        assert "route.deadline" in checklist_ids(active)
        assert lifted.risk_score == screened(BIS_NAME).risk_score  # the lifted order weighs nothing

    @pytest.mark.parametrize(("status", "effect", "consequence"), [
        ("Inactive", "informational", WRO_LIFTED.format(status="Inactive")),
        ("Active", "review", WRO_DETENTION),
    ])
    def test_region_wide_order(self, status: str, effect: str, consequence: str) -> None:
        region = dataclasses.replace(order("cbp-t4", "Region-wide order: Cotton", status), match_by_name=False,
                                     extra={"order_type": "WRO (region-wide: cotton)", "status": status})
        [item] = region_order_evidence([region], pointer="/goods/0", sector_ids={"cotton"}, xinjiang_content=True,
                                       xpcc_party=False, xpcc_orders=[])
        assert (item.effect, item.consequence) == (effect, consequence)
        assert item.blocks["list_entry"]["status"] == status

    def test_lifted_region_order_adds_no_deadline(self) -> None:
        region = dataclasses.replace(order("cbp-t5", "Region-wide order: Cotton", "Revoked"), match_by_name=False,
                                     extra={"order_type": "WRO (region-wide: cotton)", "status": "Revoked"})
        ctx = dataclasses.replace(context(), region_orders=(region,))
        line = GoodsLine("/goods/0", "5201.00", description="Raw cotton", origin_country="CN",
                         origin_region="Xinjiang")
        outcome = screen(Record("PO-2", "shipment", (Party("supplier", BIS_NAME, "/parties/0", country="CN"),),
                                (line,)), ctx)
        regions = [e for e in outcome.evidence if e.type == "region_order"]
        assert [e.effect for e in regions] == ["informational"]
        assert outcome.verdict == "presumption"  # Xinjiang origin: the lifted order changes nothing about that


class TestHttp:
    def test_screening_shows_the_lifted_order_without_detention(self, client: TestClient) -> None:
        engine = client.app.state.engine
        shipped = [e for e in client.app.state.registry.current().entries if e.source == CBP_WRO]
        with Session(engine, expire_on_commit=False) as session:
            added = [order("cbp-t1", LIFTED_NAME, "Revoked"), order("cbp-t2", ACTIVE_NAME, "Active")]
            load_list(session, LoadRequest(source=CBP_WRO, origin="test", entries=[*shipped, *added]),
                      max_shrink_ratio=0.2)
            session.commit()
        assert client.app.state.registry.refresh() is True

        lifted = client.post("/v1/screenings", json=record(parties=[party(name=LIFTED_NAME, country="MY")]))
        active = client.post("/v1/screenings", json=record(parties=[party(name=ACTIVE_NAME, country="MY")]))

        assert (lifted.status_code, active.status_code) == (201, 201)
        body = lifted.json()
        assert body["verdict"] == "clear"
        [item] = [e for e in body["evidence"] if e["type"] == "list_match"]
        assert (item["effect"], item["list_entry"]["entry_id"], item["list_entry"]["status"]) == (
            "informational", "cbp-t1", "Revoked")
        assert item["consequence"] == WRO_LIFTED.format(status="Revoked")
        assert "route.deadline" not in [c["id"] for c in body["rebuttal_checklist"]]
        assert active.json()["verdict"] == "review"
        assert "route.deadline" in [c["id"] for c in active.json()["rebuttal_checklist"]]
        match = client.post("/v1/match", json={"name": LIFTED_NAME}).json()["matches"]
        assert [(m["entry_id"], m["consequence"]) for m in match] == [("cbp-t1", WRO_LIFTED.format(status="Revoked"))]
