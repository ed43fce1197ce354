"""Rebuttal checklist: general items for all, sector items by sector id, source keys kept."""

from __future__ import annotations

import re

import pytest

from service.refdata import load_checklist, rebuttal_checklist
from service.screening.checklist import ChecklistItem


def ids(items: list[ChecklistItem]) -> set[str]:
    return {item.id for item in items}


class TestChecklistData:
    def test_every_item_keeps_source_keys_from_sources_md(self) -> None:
        items = load_checklist().items
        assert len(items) == 39
        keyed = [item for item in items if item.id != "sector.no_specific_list"]
        assert all(item.source_keys for item in keyed)
        assert all(re.fullmatch(r"S\d{2}[a-z]?", key) for item in items for key in item.source_keys)


class TestRebuttalChecklist:
    def test_general_items_for_any_goods(self) -> None:
        items = rebuttal_checklist([], triggers=[])
        assert {"tracing.parties", "tracing.commercial_documents", "tracing.payment_proof",
                "tracing.transport_documents", "tracing.production_records", "due_diligence.risk_assessment",
                "route.applicability_review"} <= ids(items)
        assert not any(item.category == "sector" for item in items)
        assert "route.exception" not in ids(items)

    def test_cotton_items_for_cotton_and_apparel(self) -> None:
        for sector in ("cotton", "apparel"):
            chosen = ids(rebuttal_checklist([sector], triggers=[]))
            assert {"sector.cotton.bale_origin", "sector.cotton.flow_chart_maps"} <= chosen
        bale = next(i for i in load_checklist().items if i.id == "sector.cotton.bale_origin")
        assert "S10" in bale.source_keys
        assert "bale" in bale.text

    @pytest.mark.parametrize(
        ("sector", "item_id", "key"),
        [
            ("silica_pv", "sector.silica.quartzite", "S12"),
            ("aluminum", "sector.aluminum.process", "S15a"),
            ("pvc", "sector.attachment_2b", "S15"),
            ("tomatoes", "sector.tomatoes.origin", "S10"),
            ("red_dates", "sector.no_specific_list", None),
        ],
    )
    def test_sector_specific_items(self, sector: str, item_id: str, key: str | None) -> None:
        item = next(i for i in rebuttal_checklist([sector], triggers=[]) if i.id == item_id)
        assert key is None or key in item.source_keys
        assert item.applies_to != "all"
        assert sector in item.applies_to

    def test_other_sectors_items_are_left_out(self) -> None:
        assert "sector.silica.quartzite" not in ids(rebuttal_checklist(["cotton"], triggers=[]))

    def test_xinjiang_trigger_switches_to_the_exception_route(self) -> None:
        chosen = ids(rebuttal_checklist(["cotton"], triggers=["xinjiang_location"]))
        assert {"route.exception", "route.three_pillars", "route.deadline"} <= chosen
        assert "route.applicability_review" not in chosen

    def test_china_origin_adds_the_prc_item(self) -> None:
        assert "no_nexus.prc_goods" in ids(rebuttal_checklist([], triggers=["china_origin", "entity_list"]))

    def test_wro_adds_the_detention_deadline(self) -> None:
        assert "route.deadline" in ids(rebuttal_checklist([], triggers=["wro"]))

    def test_unknown_trigger_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="unknown checklist triggers"):
            rebuttal_checklist([], triggers=["entitylist"])

    def test_general_items_come_first(self) -> None:
        items = rebuttal_checklist(["cotton"], triggers=[])
        first_sector = next(n for n, item in enumerate(items) if item.applies_to != "all")
        assert all(item.applies_to != "all" for item in items[first_sector:])
