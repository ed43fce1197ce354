"""Reading relations: GLEIF golden-copy CSV (plain and zipped), OpenSanctions FtM, and the lists themselves."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from service.lists.active import ActiveLists
from service.relations.errors import RelationsFormatError, RelationsLoadError
from service.relations.gleif import lei_records, rr_records
from service.relations.identify import Identifier
from service.relations.load_gleif import load_gleif
from service.relations.update import file_kind, read_relations
from service.screening.model import ListEntry
from service.screening.relations import Relation
from tests.factories import make_entry
from tests.relations.conftest import FTM_FILE, LEI_FILE, RR_FILE

TEST_LEI = "TESTHOSHINE000000011"  # the generated LEI record of the listed entity


def lei_of(tag: str) -> str:
    from tests.data.relations.build_files import lei

    return lei(tag)


def edges(relations: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.subject, r.kind, r.object) for r in relations}


def zipped(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"{path.stem}.csv.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, f"20261201-0800-gleif-goldencopy-{path.name}")
    return target


class TestGleifFiles:
    def test_records_are_read_by_header_name(self) -> None:
        records = {r.lei: r for r in lei_records(LEI_FILE)}
        assert records[TEST_LEI].names == ("HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.",)
        assert records[TEST_LEI].country == "CN"
        assert records[lei_of("MARLOW")].status == "INACTIVE"
        rows = list(rr_records(RR_FILE))
        first = rows[0]
        assert (first.start, first.end, first.type, first.status) == (
            lei_of("KESTREL"), TEST_LEI, "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE")
        assert first.share == 100.0
        assert str(first.valid_from) == "2019-03-01"  # the RELATIONSHIP_PERIOD, not the accounting period
        assert first.line == 2

    def test_zip_member_reads_like_the_csv(self, tmp_path: Path) -> None:
        assert list(lei_records(zipped(LEI_FILE, tmp_path))) == list(lei_records(LEI_FILE))
        assert file_kind(zipped(RR_FILE, tmp_path)) == "rr"

    def test_bad_lei_names_file_line_and_column(self, tmp_path: Path) -> None:
        bad = tmp_path / "lei.csv"
        text = LEI_FILE.read_text("utf-8").replace(TEST_LEI, "NOT-AN-LEI", 1)
        bad.write_text(text, "utf-8")
        with pytest.raises(RelationsFormatError) as err:
            list(lei_records(bad))
        assert (err.value.file, err.value.line, err.value.column) == ("lei.csv", 2, "LEI")

    def test_cut_off_file_is_refused(self, tmp_path: Path) -> None:
        cut = tmp_path / "rr.csv"
        cut.write_text(RR_FILE.read_text("utf-8")[:2500], "utf-8")
        with pytest.raises(RelationsFormatError, match="rr.csv, line"):
            list(rr_records(cut))

    def test_unknown_file_is_refused_naming_the_formats(self, tmp_path: Path) -> None:
        other = tmp_path / "other.csv"
        other.write_text("a,b\n1,2\n", "utf-8")
        with pytest.raises(RelationsFormatError, match="GLEIF golden copy"):
            file_kind(other)


class TestGleifLoad:
    def test_listed_entity_children_branch_parent_and_sister_within_two_hops(self, lists: ActiveLists) -> None:
        loaded = read_relations([LEI_FILE, RR_FILE], lists, hops=2)
        hoshine = f"lei:{TEST_LEI}"
        assert edges(loaded.relations) == {
            (f"lei:{lei_of('KESTREL')}", "subsidiary_of", hoshine),  # direct and ultimate: one edge
            (f"lei:{lei_of('BRIGHTMOOR')}", "subsidiary_of", f"lei:{lei_of('KESTREL')}"),
            (f"lei:{lei_of('BRIGHTMOOR')}", "subsidiary_of", hoshine),  # ultimate parent
            (f"lei:{lei_of('PELHAM')}", "branch_of", hoshine),
            (hoshine, "subsidiary_of", f"lei:{lei_of('TAMARIND')}"),
            (f"lei:{lei_of('ORMSBY')}", "subsidiary_of", f"lei:{lei_of('TAMARIND')}"),
            (hoshine, "same_as", "list:uflpa_entity_list:uflpa-003"),
            (hoshine, "same_as", "list:bis_entity_list:bis-004"),
            (hoshine, "same_as", "list:cbp_wro:cbp-012"),
        }
        assert loaded.counts == {"LEI records read": 41, "listed LEIs found": 1}
        assert loaded.snapshot_date is None  # the test file's name carries no GLEIF date

    def test_inactive_relationship_ceased_entity_and_other_country_are_left_out(self, lists: ActiveLists) -> None:
        keys = {o.key for o in read_relations([LEI_FILE, RR_FILE], lists, hops=2).orgs}
        for tag in ("QUILLFEATHER", "MARLOW", "USHOSHINE", "FENWICK", "NOISE00"):
            assert f"lei:{lei_of(tag)}" not in keys, tag

    def test_hops_bound_what_is_kept(self, lists: ActiveLists) -> None:
        one = read_relations([LEI_FILE, RR_FILE], lists, hops=1)
        three = read_relations([LEI_FILE, RR_FILE], lists, hops=3)
        assert f"lei:{lei_of('ORMSBY')}" not in {o.key for o in one.orgs}  # a sister is two hops away
        assert f"lei:{lei_of('WEXFORD')}" in {o.key for o in three.orgs}  # the sister's child, three

    def test_citation_says_who_says_so(self, lists: ActiveLists) -> None:
        loaded = read_relations([LEI_FILE, RR_FILE], lists, hops=2)
        branch = next(r for r in loaded.relations if r.kind == "branch_of")
        assert branch.source == "gleif"
        assert "IS_INTERNATIONAL_BRANCH_OF" in branch.citation
        assert "gleif-rr.csv, line 6" in branch.citation
        same = next(r for r in loaded.relations if r.object == "list:uflpa_entity_list:uflpa-003")
        assert same.source == "flrisk_match"
        assert "HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD." in same.citation
        assert "country CN" in same.citation

    def test_zipped_golden_copy_gives_the_same_relations_and_its_date(self, lists: ActiveLists,
                                                                      tmp_path: Path) -> None:
        plain = read_relations([LEI_FILE, RR_FILE], lists, hops=2)
        lei_zip, rr_zip = zipped(LEI_FILE, tmp_path), zipped(RR_FILE, tmp_path)
        renamed = lei_zip.rename(tmp_path / "20261201-0800-gleif-goldencopy-lei2-golden-copy.csv.zip")
        packed = load_gleif(renamed, rr_zip, Identifier(lists.entries, index=lists.index), hops=2)
        assert edges(packed.relations) == edges(plain.relations)
        assert packed.snapshot_date == "2026-12-01"

    def test_gleif_needs_both_files(self, lists: ActiveLists) -> None:
        with pytest.raises(RelationsLoadError, match="RR-CDF files together"):
            read_relations([LEI_FILE], lists, hops=2)


class TestFtm:
    def test_links_to_identified_entities(self, lists: ActiveLists) -> None:
        loaded = read_relations([FTM_FILE], lists, hops=2)
        assert loaded.source == "opensanctions"
        found = {(r.subject, r.kind, r.object): r for r in loaded.relations}
        assert found[("ftm:gen-saltmarsh", "owned_by", "ftm:gen-xpcc")].share == 60.0
        assert found[("ftm:gen-harrowgate", "owned_by", "ftm:gen-xpcc")].share == 20.0
        assert str(found[("ftm:gen-ravenglass", "owned_by", "ftm:gen-xpcc")].end) == "2020-01-01"
        assert ("ftm:gen-thistledown", "linked_to", "ftm:gen-xpcc") in found
        assert ("ftm:gen-corrigan", "directed_by", "ftm:gen-xpcc") in found
        assert ("ftm:gen-sun", "same_as", "list:ofac_sdn:ofac-007") in found  # a person, matched as one
        assert {o for s, k, o in found if s == "ftm:gen-xpcc" and k == "same_as"} == {
            "list:uflpa_entity_list:uflpa-005", "list:cbp_wro:cbp-010", "list:ofac_sdn:ofac-002",
            "list:bis_entity_list:bis-005"}
        assert "Ownership gen-own-1" in found[("ftm:gen-saltmarsh", "owned_by", "ftm:gen-xpcc")].citation

    def test_same_id_as_a_list_entry_identifies_it(self, tmp_path: Path) -> None:
        entry = make_entry(source="uflpa_entity_list", entry_id="NK-abc", name="Totally Different Name Co",
                           country="CN")
        ftm = tmp_path / "e.ftm.json"
        ftm.write_text('{"id": "NK-abc", "schema": "Company", "properties": {"name": ["Other"]}}\n'
                       '{"id": "own", "schema": "Ownership", "properties": {"owner": ["NK-abc"], '
                       '"asset": [{"id": "sub", "schema": "Company"}], "percentage": ["51-75%"]}}\n'
                       '{"id": "sub", "schema": "Company", "properties": {"name": ["Sub Co"]}}\n', "utf-8")
        lists = ActiveLists.from_entries({}, [entry])
        loaded = read_relations([ftm], lists, hops=2)
        assert edges(loaded.relations) == {("ftm:sub", "owned_by", "ftm:NK-abc"),
                                           ("ftm:NK-abc", "same_as", "list:uflpa_entity_list:NK-abc")}
        assert next(r for r in loaded.relations if r.kind == "owned_by").share == 51.0  # a range: its lower bound

    def test_broken_line_is_refused_with_its_number(self, tmp_path: Path, lists: ActiveLists) -> None:
        broken = tmp_path / "x.ftm.json"
        broken.write_text(FTM_FILE.read_text("utf-8") + '{"id": "cut", "schema": "Ownership", "prop\n', "utf-8")
        with pytest.raises(RelationsFormatError, match="line 15"):
            read_relations([broken], lists, hops=2)


class TestListRelations:
    def test_named_subsidiary_and_linked_to(self) -> None:
        from service.relations.from_lists import list_relations

        parent = make_entry(source="cbp_wro", entry_id="p", name="Parent Gloves Co")
        child = dataclasses.replace(make_entry(source="cbp_wro", entry_id="c", name="Child Gloves Co"),
                                    extra={"parent_entry_id": "p"})
        sdn = dataclasses.replace(make_entry(source="ofac_sdn", entry_id="1", name="FLEURETTE PROPERTIES LIMITED"),
                                  remarks="Public Registration Number 99450; Linked To: GERTLER, Dan.")
        person = make_entry(source="ofac_sdn", entry_id="2", name="GERTLER, Dan")
        orphan = dataclasses.replace(make_entry(source="cbp_wro", entry_id="o"), extra={"parent_entry_id": "gone"})
        found = list_relations([parent, child, sdn, person, orphan])
        assert edges(found) == {("list:cbp_wro:c", "subsidiary_of", "list:cbp_wro:p"),
                                ("list:ofac_sdn:1", "linked_to", "list:ofac_sdn:2")}
        assert "Linked To: GERTLER, Dan" in next(r.citation for r in found if r.kind == "linked_to")

    def test_identifier_needs_the_same_country(self) -> None:
        entry: ListEntry = make_entry(source="uflpa_entity_list", entry_id="u1", name="Zanthoria Polymer Co Ltd")
        identifier = Identifier([entry])
        assert [i.entry.entry_id for i in identifier.identify(["ZANTHORIA POLYMER CO., LTD."], "CN")] == ["u1"]
        assert identifier.identify(["ZANTHORIA POLYMER CO., LTD."], "US") == []
        assert identifier.identify(["Polymer Co Ltd"], "CN") == []  # no distinctive word: never matched
