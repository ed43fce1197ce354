"""Stable entry ids across versions: `carry_ids`, and through `load_list` over the shipped snapshot."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.lists.ids import carry_ids, provisional_id
from service.lists.parsers.cbp_wro import parse_cbp_csv
from service.lists.parsers.dhs_uflpa import parse_dhs_page
from service.lists.snapshot import load_snapshot
from service.lists.versions import LoadRequest, load_list
from service.screening.model import ListEntry
from service.screening.normalize import fold
from service.store import lists_repo
from tests.factories import make_entry
from tests.lists.official_layout import render_cbp_csv, render_dhs_page, snapshot_rows

UFLPA = "uflpa_entity_list"


def entry(entry_id: str, name: str, *aliases: str, **extra: str) -> ListEntry:
    return ListEntry(source=UFLPA, entry_id=entry_id, name=name, aliases=aliases, extra=extra)


class TestCarryIds:
    def test_same_name_keeps_the_old_id(self) -> None:
        old = [entry("uflpa-001", "Hoshine Silicon Industry (Shanshan) Co., Ltd")]
        new = [entry(provisional_id("dhs", "x"), "HOSHINE SILICON INDUSTRY (SHANSHAN) CO. LTD")]
        assert [e.entry_id for e in carry_ids(new, old)] == ["uflpa-001"]

    def test_alias_in_common_keeps_the_old_id(self) -> None:
        old = [entry("uflpa-086", "Xinjiang GCL New Energy Material Technology Co., Ltd.")]
        new = [entry("dhs:goens", "Xinjiang Goens Energy Technology Co., Ltd.",
                     "Xinjiang GCL New Energy Material Technology Co., Ltd.")]
        assert [e.entry_id for e in carry_ids(new, old)] == ["uflpa-086"]

    def test_primary_name_wins_over_an_alias(self) -> None:
        old = [entry("uflpa-001", "Alpha Co"), entry("uflpa-002", "Beta Co", "Alpha Co")]
        new = [entry("dhs:b", "Beta Co", "Alpha Co"), entry("dhs:a", "Alpha Co")]
        assert [e.entry_id for e in carry_ids(new, old)] == ["uflpa-002", "uflpa-001"]

    def test_new_entities_get_the_next_numbers_in_file_order(self) -> None:
        old = [entry("uflpa-001", "Alpha Co"), entry("uflpa-149", "Beta Co")]
        new = [entry("dhs:g", "Gamma Co"), entry("dhs:a", "Alpha Co"), entry("dhs:d", "Delta Co")]
        assert [e.entry_id for e in carry_ids(new, old)] == ["uflpa-150", "uflpa-001", "uflpa-151"]

    def test_one_old_id_goes_to_one_new_entry(self) -> None:
        old = [entry("cbp-012", "Hoshine Silicon Industry Co. Ltd.")]
        new = [entry("cbp:2021-06-24-h", "Hoshine Silicon Industry Co. Ltd."),
               entry("cbp:2023-01-01-h", "Hoshine Silicon Industry Co. Ltd.")]
        assert [e.entry_id for e in carry_ids(new, old)] == ["cbp-012", "cbp-013"]

    def test_references_follow_the_renaming(self) -> None:
        old = [entry("uflpa-007", "Ninestar Corporation"), entry("uflpa-078", "Zhuhai Pantum Electronics Co., Ltd.")]
        new = [entry("dhs:ninestar", "Ninestar Corporation", subsidiary_entry_ids="dhs:pantum; dhs:new"),
               entry("dhs:pantum", "Zhuhai Pantum Electronics Co., Ltd.", parent_entry_id="dhs:ninestar"),
               entry("dhs:new", "Zhuhai New Co., Ltd.", parent_entry_id="dhs:ninestar")]
        out = carry_ids(new, old)
        assert [e.entry_id for e in out] == ["uflpa-007", "uflpa-078", "uflpa-079"]
        assert out[0].extra == {"subsidiary_entry_ids": "uflpa-078; uflpa-079"}
        assert out[1].extra == out[2].extra == {"parent_entry_id": "uflpa-007"}

    def test_upstream_ids_are_never_renamed(self) -> None:
        old = [make_entry(entry_id="306", name="BANCO NACIONAL DE CUBA"), make_entry(entry_id="ofac-001", name="X")]
        new = [make_entry(entry_id="306", name="BANCO NACIONAL DE CUBA"),
               make_entry(entry_id="99001", name="QINGSHAN PHANTOM WIDGET WORKS CO LTD")]
        assert carry_ids(new, old) == new

    def test_a_xinjiang_tie_is_kept(self) -> None:
        old = [replace(entry("cbp-001", "Hetian Taida Apparel Co., Ltd."), xinjiang_linked=True),
               entry("cbp-013", "Hero Vast Group")]
        new = [entry("cbp:2019-09-30-h", "Hetian Taida Apparel Co., Ltd."),
               entry("cbp:2020-08-11-h", "Hero Vast Group")]
        assert [(e.entry_id, e.xinjiang_linked) for e in carry_ids(new, old)] == [
            ("cbp-001", True), ("cbp-013", False)]

    def test_no_previous_version_keeps_the_parser_ids(self) -> None:
        new = [entry("dhs:a", "Alpha Co")]
        assert carry_ids(new, []) == new


def _load(engine: Engine, source: str, entries: list[ListEntry]) -> tuple[str, list[ListEntry]]:
    with Session(engine, expire_on_commit=False) as session:
        outcome = load_list(session, LoadRequest(source=source, entries=entries, origin="test"),
                            max_shrink_ratio=0.2)
        session.commit()
        return outcome.status, lists_repo.entries_of(session, outcome.version_id)


def _shipped(engine: Engine) -> None:
    with Session(engine) as session:
        load_snapshot(session)
        session.commit()


class TestLoadOverTheSnapshot:
    def test_dhs_page_keeps_every_shipped_id(self, engine: Engine) -> None:
        _shipped(engine)
        rows = snapshot_rows("uflpa_entity_list.csv")
        subs = [f"uflpa-{n:03d}" for n in range(77, 85)]
        page = render_dhs_page(rows, former=frozenset({"uflpa-086"}), parents={"uflpa-007": ("Zhuhai", subs)})
        added = page.replace("</tbody></table>\n<p class=\"text-align-right\">",
                             "<tr><td>Example New Entity Co., Ltd.</td><td>August 3, 2026</td></tr>"
                             "</tbody></table>\n<p class=\"text-align-right\">")
        status, loaded = _load(engine, UFLPA, parse_dhs_page(added, file="uflpa.html"))
        assert status == "loaded"
        ids = {fold(e.name): e.entry_id for e in loaded}
        assert {r["list_id"] for r in rows[:148]} == {ids[fold(r["name"])] for r in rows[:148]}
        assert all(ids[fold(r["name"])] == r["list_id"] for r in rows[:148])
        assert ids["example new entity co ltd"] == "uflpa-150"
        pantum = next(e for e in loaded if e.entry_id == "uflpa-078")
        assert pantum.extra["parent_entry_id"] == "uflpa-007"
        again, _ = _load(engine, UFLPA, parse_dhs_page(added, file="uflpa.html"))
        assert again == "unchanged"

    def test_cbp_dataset_keeps_every_shipped_id(self, engine: Engine) -> None:
        _shipped(engine)
        rows = snapshot_rows("cbp_wro_findings.csv")
        extra = [["05/18/2018", "2018", "TM", "Turkmenistan", "Cotton", "WRO", "", "Active", "", "", "", ""]]
        entries = parse_cbp_csv(render_cbp_csv(rows, extra).decode("utf-8")[1:], file="wro.csv")
        status, loaded = _load(engine, "cbp_wro", entries)
        assert status == "loaded"
        assert [e.entry_id for e in loaded] == [r["list_id"] for r in rows] + ["cbp-042"]
        region = {e.entry_id for e in loaded if not e.match_by_name}
        assert region == {"cbp-011", "cbp-042"}
        assert [e.entry_id for e in loaded if e.xinjiang_linked] == [f"cbp-{n:03d}" for n in range(1, 13)]

    def test_changed_entry_keeps_its_id(self, engine: Engine) -> None:
        _shipped(engine)
        rows = snapshot_rows("uflpa_entity_list.csv")
        entries = parse_dhs_page(render_dhs_page(rows), file="uflpa.html")
        renamed = [replace(e, aliases=(*e.aliases, "Hoshine Shanshan")) if "hoshine" in e.entry_id else e
                   for e in entries]
        _, loaded = _load(engine, UFLPA, renamed)
        hoshine = next(e for e in loaded if e.entry_id == "uflpa-003")
        assert hoshine.aliases[-1] == "Hoshine Shanshan"
