"""One entity on several lists: entries of different sources sharing a name, alias or Chinese name are linked."""

from __future__ import annotations

from benchmarks.match_quality import load_shipped_entries
from service.screening.linking import link_groups
from service.screening.matcher import MatchIndex, MatchQuery
from service.screening.model import ListEntry
from service.screening.scoring import compute_forms


def _ids(entries: list[ListEntry]) -> list[set[str]]:
    groups = link_groups(entries, compute_forms)
    return [{entries[m].entry_id for m in group} for group in groups if len(group) > 1]


class TestLinkGroups:
    def test_shipped_lists(self) -> None:
        groups = _ids(load_shipped_entries())
        assert {"uflpa-005", "cbp-010", "ofac-002", "bis-005"} in groups  # XPCC on four lists
        assert {"uflpa-003", "bis-004"} in groups  # Hoshine (Shanshan); its parent cbp-012 stays apart
        assert {"uflpa-086", "bis-001"} in groups  # Goens, formerly GCL: via the UFLPA entry's alias
        assert {"uflpa-093", "cbp-004"} in groups  # VSETC: the name without its acronym in parentheses
        assert not any("cbp-012" in g for g in groups)

    def test_same_source_country_clash_and_persons_stay_apart(self) -> None:
        entries = [
            ListEntry("a", "1", "Global Trading LLC", country="AE"), ListEntry("b", "2", "Global Trading LLC",
                                                                              country="CN"),
            ListEntry("a", "3", "Hetian Taida Apparel Co Ltd"), ListEntry("a", "4", "Hetian Taida Apparel Co., Ltd."),
            ListEntry("a", "5", "WANG, Ming", entity_type="person"),
            ListEntry("b", "6", "WANG, Ming", entity_type="person"),
        ]
        assert _ids(entries) == []

    def test_chinese_name_links_across_legal_forms(self) -> None:
        entries = [ListEntry("a", "1", "X", chinese_names=("新疆大全新能源股份有限公司",)),
                   ListEntry("b", "2", "Y", chinese_names=("新疆大全新能源有限公司",))]
        assert _ids(entries) == [{"1", "2"}]


class TestMatchingALinkedEntity:
    def test_a_name_known_on_one_entry_reaches_every_entry(self) -> None:
        index = MatchIndex.build(load_shipped_entries())
        found = {r.entry.entry_id: r for r in index.match(MatchQuery("Bingtuan"))}
        assert {"uflpa-005", "cbp-010", "ofac-002", "bis-005"} <= set(found)
        sdn = found["ofac-002"]
        assert {e.entry_id for e in sdn.linked} == {"uflpa-005", "cbp-010", "bis-005"}
        assert sdn.features["matched_entry"] == {"source": "uflpa_entity_list", "entry_id": "uflpa-005"}
        assert sdn.entry.citation != found["uflpa-005"].entry.citation

    def test_sources_filter_keeps_the_link(self) -> None:
        index = MatchIndex.build(load_shipped_entries())
        found = index.match(MatchQuery("XPCC"), sources={"bis_entity_list"})
        assert [r.entry.entry_id for r in found] == ["bis-005"]
