"""Ownership evidence in the verdict: the path, who says so, and the effect each list's own rule gives it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from service.lists.active import ActiveLists
from service.screening.decisions import Decision, entry_hash, party_key
from service.screening.evidence import Evidence
from service.screening.matcher import Thresholds
from service.screening.model import ListEntry
from service.screening.ownership import chain_text, covers_subsidiaries
from service.screening.record import Party, Record
from service.screening.relations import Org, Relation, RelationsView, list_key
from service.screening.verdict import ScreeningOutcome, screen
from service.services.context import screening_context
from tests.factories import make_entry
from tests.relations.conftest import TODAY

HOSHINE = ("uflpa_entity_list", "uflpa-003")


def screened(lists: ActiveLists, view: RelationsView, name: str, country: str = "CN", **ctx: object
             ) -> ScreeningOutcome:
    context = dataclasses.replace(screening_context(lists, Thresholds(), relations=view), **ctx)
    return screen(Record("R-1", "supplier", (Party("supplier", name, "/parties/0", country=country),)), context)


def owned(outcome: ScreeningOutcome) -> dict[tuple[str, str], Evidence]:
    return {(e.blocks["list_entry"]["source"], e.blocks["list_entry"]["entry_id"]): e
            for e in outcome.evidence if e.type == "ownership"}


class TestCoveredByTheListing:
    def test_direct_subsidiary_of_an_entity_listed_and_subsidiaries_is_a_presumption(
            self, lists: ActiveLists, view: RelationsView) -> None:
        outcome = screened(lists, view, "Kestrel Crystal Materials Co Ltd")
        assert outcome.verdict == "presumption"
        item = owned(outcome)[HOSHINE]
        assert (item.effect, item.blocks["rule"]) == ("presumption", "listing_scope")
        assert item.blocks["match"]["score"] == 1.0
        assert item.blocks["match"]["band"] == "strong"
        path = item.blocks["path"]
        assert [(s["name"], s.get("lei"), s["relation"], s["source"]) for s in path] == [
            ("Kestrel Crystal Materials Co., Ltd.", "TESTKESTREL000000033", "subsidiary_of", "gleif"),
            ("HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.", "TESTHOSHINE000000011", "same_as", "flrisk_match"),
            ("Hoshine Silicon Industry (Shanshan) Co., Ltd", None, None, "uflpa_entity_list"),
        ]
        assert "IS_DIRECTLY_CONSOLIDATED_BY" in path[0]["citation"]
        assert path[-1]["citation"].startswith("DHS UFLPA Entity List")
        assert path[-1]["list_entry"] == {"source": "uflpa_entity_list", "entry_id": "uflpa-003"}
        assert "and subsidiaries" in item.blocks["reason"]
        assert "Rebuttable presumption under UFLPA section 3" in (item.consequence or "")
        assert outcome.checklist  # the entity-list route of the rebuttal checklist

    def test_ultimate_child_and_branch_are_covered(self, lists: ActiveLists, view: RelationsView) -> None:
        child = owned(screened(lists, view, "Brightmoor Quartz Trading Co., Ltd."))[HOSHINE]
        assert (child.effect, child.blocks["rule"]) == ("presumption", "listing_scope")
        assert len(child.blocks["path"]) == 3  # the IS_ULTIMATELY_CONSOLIDATED_BY edge is the shortest path
        branch = owned(screened(lists, view, "Pelham Polysilicon Singapore Branch", "SG"))[HOSHINE]
        assert (branch.effect, branch.blocks["rule"]) == ("presumption", "branch")
        assert branch.blocks["path"][0]["relation"] == "branch_of"

    def test_same_path_to_an_entity_listed_alone_is_review(self, lists: ActiveLists, view: RelationsView) -> None:
        bis = owned(screened(lists, view, "Kestrel Crystal Materials Co Ltd"))[("bis_entity_list", "bis-004")]
        assert (bis.effect, bis.blocks["rule"]) == ("review", "related")
        assert "listed without group wording" in bis.blocks["reason"]

    def test_a_review_band_first_step_gives_review_not_presumption(self, lists: ActiveLists,
                                                                   view: RelationsView) -> None:
        item = owned(screened(lists, view, "Kestrel Crystal Materials", "VN"))[HOSHINE]
        assert item.blocks["match"]["band"] == "review"
        assert item.effect == "review"


class TestReviewOnly:
    def test_parent_and_sister_are_review_with_the_reason(self, lists: ActiveLists, view: RelationsView) -> None:
        parent = owned(screened(lists, view, "Tamarind Holdings Group Co Ltd"))[HOSHINE]
        assert (parent.effect, parent.blocks["rule"]) == ("review", "related")
        assert "parent or owner" in parent.blocks["reason"]
        assert parent.blocks["path"][0]["relation"] == "parent_of"
        sister = owned(screened(lists, view, "Ormsby Solar Glass Co Ltd"))[HOSHINE]
        assert sister.effect == "review"
        assert "sister company" in sister.blocks["reason"]
        assert "Tamarind" in sister.blocks["reason"]
        assert [s["relation"] for s in sister.blocks["path"][:-1]] == ["subsidiary_of", "parent_of", "same_as"]

    def test_minority_stake_link_and_directorship_are_review(self, lists: ActiveLists, view: RelationsView) -> None:
        xpcc = ("uflpa_entity_list", "uflpa-005")
        minority = owned(screened(lists, view, "Harrowgate Textile Co Ltd"))[xpcc]
        assert minority.effect == "review"
        assert "minority" in minority.blocks["reason"]
        assert minority.blocks["path"][0]["share"] == 20.0
        assert owned(screened(lists, view, "Thistledown Logistics Co Ltd"))[xpcc].blocks["path"][0]["relation"] \
            == "linked_to"
        assert "directed by" in owned(screened(lists, view, "Corrigan Farm Management Co"))[xpcc].blocks["reason"]

    def test_subordinate_of_the_xpcc_follows_the_cbp_order_and_the_ofac_rule(self, lists: ActiveLists,
                                                                             view: RelationsView) -> None:
        found = owned(screened(lists, view, "Saltmarsh Orchard Trading Co Ltd"))
        cbp = found[("cbp_wro", "cbp-010")]
        assert (cbp.effect, cbp.blocks["rule"]) == ("review", "listing_scope")  # a WRO hit is review
        sdn = found[("ofac_sdn", "ofac-002")]
        assert (sdn.effect, sdn.blocks["rule"]) == ("review", "ofac_50_percent")
        assert "50 Percent Rule" in (sdn.consequence or "")
        assert "Blocked property" in (sdn.consequence or "")
        person = owned(screened(lists, view, "Wrenfield Agritech Co Ltd"))[("ofac_sdn", "ofac-007")]
        assert person.blocks["rule"] == "ofac_50_percent"
        assert "55 %" in person.blocks["reason"]


class TestNothingFound:
    @pytest.mark.parametrize(("name", "country"), [
        ("Quillfeather Metals Co., Ltd.", "CN"),  # inactive relationship
        ("Marlow Ceased Silicone Co Ltd", "CN"),  # ceased entity
        ("Wexford Glass Fibre Co Ltd", "CN"),  # three hops
        ("Fenwick Sealants LLC", "US"),  # child of a same-named record in another country
        ("Ravenglass Cotton Co Ltd", "CN"),  # ownership ended in 2020
        ("Noiseworth Components 3 Co Ltd", "DE"),  # unrelated
        ("Vina Solar Technology Co Ltd", "VN"),
    ])
    def test_clear(self, lists: ActiveLists, view: RelationsView, name: str, country: str) -> None:
        outcome = screened(lists, view, name, country)
        assert outcome.verdict == "clear", outcome.summary

    def test_the_listed_entity_itself_gets_its_list_match_only(self, lists: ActiveLists, view: RelationsView) -> None:
        outcome = screened(lists, view, "Hoshine Silicon Industry (Shanshan) Co Ltd")
        assert outcome.verdict == "presumption"
        assert not owned(outcome)
        assert {e.type for e in outcome.evidence} == {"list_match"}

    def test_without_relations_nothing_changes(self, lists: ActiveLists) -> None:
        outcome = screen(Record("R", "supplier", (Party("supplier", "Kestrel Crystal Materials Co Ltd", "/parties/0",
                                                        country="CN"),)),
                         screening_context(lists, Thresholds()))
        assert outcome.verdict == "clear"


class TestDecisions:
    def test_false_positive_on_the_pair_clears_the_ownership_item(self, lists: ActiveLists,
                                                                  view: RelationsView) -> None:
        entry = next(e for e in lists.entries if (e.source, e.entry_id) == HOSHINE)
        others = [e for e in lists.entries if e.entry_id in ("bis-004", "cbp-012")]
        decisions = {(party_key("Kestrel Crystal Materials Co Ltd", "CN"), e.source, e.entry_id):
                     Decision("d1", "false_positive", "not our Kestrel", "analyst@example.com", "2026-12-01",
                              entry_hash(e)) for e in (entry, *others)}
        outcome = screened(lists, view, "Kestrel Crystal Materials Co Ltd", decisions=decisions)
        item = owned(outcome)[HOSHINE]
        assert item.effect == "informational"
        assert item.blocks["decision"]["decision"] == "false_positive"
        assert outcome.verdict == "clear"


class TestRules:
    """The rules on small hand-built graphs (the names are made up)."""

    def build(self, entry: ListEntry, relations: list[Relation], orgs: list[Org]) -> RelationsView:
        return RelationsView.build(orgs, relations, {(entry.source, entry.entry_id): entry}, max_hops=3,
                                   today=TODAY)

    def outcome(self, entry: ListEntry, view: RelationsView, name: str) -> Evidence:
        context = screening_context(ActiveLists.from_entries({}, [entry]), Thresholds(), relations=view)
        result = screen(Record("R", "supplier", (Party("supplier", name, "/parties/0", country="CN"),)), context)
        return owned(result)[(entry.source, entry.entry_id)]

    def test_ofac_fifty_percent_through_two_majority_owners(self) -> None:
        sdn = make_entry(source="ofac_sdn", entry_id="9", name="QUARRELSOME METALS GROUP")
        orgs = [Org("x:a", "Abernethy Tin Co"), Org("x:b", "Blenkinsop Tin Co")]
        rels = [Relation("x:a", "x:b", "owned_by", "test", "t", share=50.0),
                Relation("x:b", list_key("ofac_sdn", "9"), "owned_by", "test", "t", share=80.0)]
        item = self.outcome(sdn, self.build(sdn, rels, orgs), "Abernethy Tin Co")
        assert (item.effect, item.blocks["rule"]) == ("review", "ofac_50_percent")
        assert "50 % then 80 %" in item.blocks["reason"]
        rels[0] = dataclasses.replace(rels[0], share=49.0)
        item = self.outcome(sdn, self.build(sdn, rels, orgs), "Abernethy Tin Co")
        assert item.blocks["rule"] == "related"
        assert "minority" in item.blocks["reason"]

    def test_informational_list_stays_informational(self) -> None:
        bis = make_entry(source="bis_entity_list", entry_id="b", name="Pemberton Optics Co", xinjiang_linked=False)
        orgs = [Org("x:a", "Abernethy Lens Co")]
        item = self.outcome(bis, self.build(bis, [Relation("x:a", list_key("bis_entity_list", "b"), "subsidiary_of",
                                                           "test", "t")], orgs), "Abernethy Lens Co")
        assert item.effect == "informational"

    def test_formerly_is_the_same_entity_and_an_ended_relation_is_ignored(self) -> None:
        listed = dataclasses.replace(make_entry(source="uflpa_entity_list", entry_id="u", name="Old Name Co"),
                                     xinjiang_linked=True)
        orgs = [Org("x:n", "Brandnew Renamed Co"), Org("x:s", "Ancient Sub Co")]
        rels = [Relation("x:n", list_key("uflpa_entity_list", "u"), "formerly", "test", "renamed"),
                Relation("x:s", list_key("uflpa_entity_list", "u"), "subsidiary_of", "test", "t",
                         end=date(2020, 1, 1))]
        view = self.build(listed, rels, orgs)
        item = self.outcome(listed, view, "Brandnew Renamed Co")
        assert (item.effect, item.blocks["rule"]) == ("presumption", "same_entity")
        assert view.graph.paths("x:s") == []


def test_named_subsidiary_entry_links_to_its_parent_entry() -> None:
    from service.relations.from_lists import list_relations

    parent = dataclasses.replace(make_entry(source="uflpa_entity_list", entry_id="p", name="Quorndon Silicon Group"),
                                 xinjiang_linked=True, extra={"listing_scope": "and subsidiaries"})
    named = dataclasses.replace(make_entry(source="uflpa_entity_list", entry_id="s", name="Quorndon Hami Silicon"),
                                xinjiang_linked=True, extra={"parent_entry_id": "p"})
    entries = {(e.source, e.entry_id): e for e in (parent, named)}
    rels = [*list_relations(entries.values()),
            Relation("x:e", list_key("uflpa_entity_list", "s"), "subsidiary_of", "gleif", "t")]
    view = RelationsView.build([Org("x:e", "Tillingham Wafer Co")], rels, entries, max_hops=2, today=TODAY)
    context = screening_context(ActiveLists.from_entries({}, [parent, named]), Thresholds(), relations=view)
    result = screen(Record("R", "supplier", (Party("supplier", "Tillingham Wafer Co", "/parties/0", country="CN"),)),
                    context)
    found = owned(result)
    assert found[("uflpa_entity_list", "p")].blocks["rule"] == "listing_scope"  # through the named subsidiary
    assert [s["relation"] for s in found[("uflpa_entity_list", "p")].blocks["path"]] == [
        "subsidiary_of", "subsidiary_of", None]
    assert found[("uflpa_entity_list", "p")].blocks["path"][1]["source"] == "uflpa_entity_list"
    assert found[("uflpa_entity_list", "s")].effect == "review"  # the named subsidiary is listed alone
    assert result.verdict == "presumption"


def test_chain_text() -> None:
    path = [{"name": "A Co", "lei": "L1", "relation": "subsidiary_of", "source": "gleif", "citation": "c"},
            {"name": "B Co", "relation": None, "source": "uflpa_entity_list", "citation": "d",
             "list_entry": {"source": "uflpa_entity_list", "entry_id": "uflpa-1"}}]
    assert chain_text(path) == "A Co (LEI L1) -subsidiary_of [gleif]-> B Co [uflpa_entity_list uflpa-1]"


@pytest.mark.parametrize(("scope", "covers"), [
    ("and subsidiaries", True), ("and Subsidiaries", True), ("and its subordinates", True),
    ("and its subordinate and affiliated entities", True), ("", False),
    ("and its subsidiary Xinjiang Example Co", False),  # named: its own entry
    ("and its eight Xinjiang-based subsidiaries, which include", False),
    ("and its 3 subsidiaries", False),
])
def test_group_wording(scope: str, covers: bool) -> None:
    assert covers_subsidiaries(scope) is covers
