"""OFAC legacy SDN CSV trio: the real July-2021 sample (tests/data/formats/ofac_*.csv) and corruptions."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.ofac import OfacFile, legal_basis, normalise_programs, parse_ofac, read_ofac
from service.lists.parsers.xinjiang_tag import tag_xinjiang
from service.screening.model import ListEntry

DATA = Path(__file__).parent.parent / "data" / "formats"
TRIO = [DATA / "ofac_sdn.csv", DATA / "ofac_alt.csv", DATA / "ofac_add.csv"]
SDN_ROW = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'


def mentions_xinjiang(text: str) -> bool:
    return any(place in text.lower() for place in ("xinjiang", "urumqi", "xuar"))


def by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.entry_id: e for e in entries}


def parse(sdn: bytes, alt: bytes | None = None, add: bytes | None = None) -> list[ListEntry]:
    files = {"sdn": OfacFile("sdn.csv", sdn)}
    if alt is not None:
        files["alt"] = OfacFile("alt.csv", alt)
    if add is not None:
        files["add"] = OfacFile("add.csv", add)
    return parse_ofac(files)


@pytest.fixture(scope="module")
def entries() -> dict[str, ListEntry]:
    return by_id(read_ofac(TRIO))


class TestRealSample:
    def test_counts_every_sdn_row(self, entries: dict[str, ListEntry]) -> None:
        assert len(entries) == 465

    def test_entity_with_aliases_and_addresses(self, entries: dict[str, ListEntry]) -> None:
        bnc = entries["306"]
        assert bnc.source == "ofac_sdn"
        assert bnc.name == "BANCO NACIONAL DE CUBA"
        assert bnc.entity_type == "company"
        assert bnc.aliases == ("NATIONAL BANK OF CUBA",)
        assert bnc.addresses[0] == "Zweierstrasse 35, Zurich CH-8022, Switzerland"
        assert len(bnc.addresses) == 4
        assert bnc.city == "Zurich CH-8022"
        assert bnc.country == "CH"
        assert bnc.extra["countries"] == "CH; ES; JP; PA"
        assert bnc.program == "CUBA"
        assert bnc.remarks == "a.k.a. 'BNC'."
        assert bnc.citation == "OFAC Specially Designated Nationals list (sdn.csv ent_num 306)"

    def test_xinjiang_glomag_entity(self, entries: dict[str, ListEntry]) -> None:
        psb = entries["29159"]
        assert psb.name == "XINJIANG PUBLIC SECURITY BUREAU"
        assert psb.aliases == (
            "XINJIANG BUREAU OF PUBLIC SECURITY",
            "PUBLIC SECURITY DEPARTMENT OF XINJIANG UYGAR AUTONOMOUS REGION",
            "PUBLIC SECURITY DEPARTMENT OF XUAR",
            "PUBLIC SECURITY DEPARTMENT OF THE AUTONOMOUS REGION",
        )
        assert psb.program == "GLOMAG"
        assert psb.legal_basis == "E.O. 13818 (Global Magnitsky)"
        assert psb.addresses == ("Xinjiang, China",)
        assert psb.country == "CN"

    def test_individual(self, entries: dict[str, ListEntry]) -> None:
        wang = entries["31492"]
        assert wang.name == "WANG, Junzheng"
        assert wang.entity_type == "person"
        assert wang.city == "Urumqi, Xinjiang"
        assert wang.remarks is not None
        assert wang.remarks.startswith("DOB May 1963; POB Linyi City, Shandong Province, China")

    def test_vessel_keeps_its_particulars(self, entries: dict[str, ListEntry]) -> None:
        swan = entries["4243"]
        assert swan.entity_type == "vessel"
        assert swan.extra["call_sign"] == "P3QG3"
        assert swan.extra["vess_flag"] == "Cyprus"

    def test_fka_names_are_aliases(self, entries: dict[str, ListEntry]) -> None:
        assert "INDUSTRIA AVICOLA PALMASECA S.A." in entries["4359"].aliases

    def test_multi_program_normalised(self, entries: dict[str, ListEntry]) -> None:
        assert entries["28004"].program == "GLOMAG; SDGT"
        assert entries["28004"].legal_basis == "E.O. 13818 (Global Magnitsky); OFAC SDN program SDGT (IEEPA)"
        assert entries["2686"].program == "SDGT; SYRIA"
        assert entries["2686"].legal_basis == "OFAC SDN program SDGT (IEEPA); OFAC SDN program SYRIA (IEEPA)"

    def test_xinjiang_entries_tagged(self, entries: dict[str, ListEntry]) -> None:
        tagged = {e.entry_id for e in tag_xinjiang(entries.values(), mentions_xinjiang) if e.xinjiang_linked}
        assert tagged == {"29159", "29160", "29162", "29219", "29220", "29299", "29300", "29319", "31492",
                          "31493"}


class TestPrograms:
    def test_bracketed_list_sorted(self) -> None:
        assert normalise_programs("SDGT] [GLOMAG") == ["GLOMAG", "SDGT"]

    def test_no_program(self) -> None:
        assert normalise_programs("") == []
        assert legal_basis([]) is None


class TestInputShapes:
    def test_shuffled_paths_named_by_content(self, tmp_path: Path) -> None:
        for src, name in zip(TRIO, ("c.csv", "a.csv", "b.csv"), strict=True):
            shutil.copy(src, tmp_path / name)
        entries = read_ofac([tmp_path / "b.csv", tmp_path / "c.csv", tmp_path / "a.csv"])
        assert by_id(entries)["306"].aliases == ("NATIONAL BANK OF CUBA",)
        assert len(entries) == 465

    def test_directory(self, tmp_path: Path) -> None:
        for src in TRIO:
            shutil.copy(src, tmp_path / src.name.removeprefix("ofac_").upper())
        (tmp_path / "README.txt").write_text("not a list")
        shutil.copy(TRIO[0], tmp_path / "cons_prim.csv")  # another 12-column OFAC file: not the SDN list
        assert len(read_ofac([tmp_path])) == 465

    def test_zip(self, tmp_path: Path) -> None:
        archive = tmp_path / "sdall.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for src in TRIO:
                zf.write(src, src.name.removeprefix("ofac_").upper())
        assert by_id(read_ofac([archive]))["29159"].addresses == ("Xinjiang, China",)

    def test_sdn_alone(self) -> None:
        assert by_id(read_ofac([TRIO[0]]))["306"].aliases == ()

    def test_directory_without_sdn_refused(self, tmp_path: Path) -> None:
        shutil.copy(TRIO[1], tmp_path / "alt.csv")
        with pytest.raises(ListFormatError, match="no OFAC sdn.csv"):
            read_ofac([tmp_path])


class TestZipGuards:
    def test_high_compression_ratio_refused(self, tmp_path: Path) -> None:
        archive = tmp_path / "bomb.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("sdn.csv", SDN_ROW * 200_000)
        with pytest.raises(ListFormatError, match="compression ratio") as exc:
            read_ofac([archive])
        assert exc.value.file == "bomb.zip:sdn.csv"

    def test_declared_size_over_limit_refused(self, tmp_path: Path) -> None:
        archive = tmp_path / "big.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr("sdn.csv", SDN_ROW)
        data = bytearray(archive.read_bytes())
        central = data.rindex(b"PK\x01\x02")
        data[central + 24:central + 28] = (300 * 1024 * 1024).to_bytes(4, "little")
        archive.write_bytes(bytes(data))
        with pytest.raises(ListFormatError, match="declared size"):
            read_ofac([archive])

    def test_corrupt_zip_refused(self, tmp_path: Path) -> None:
        archive = tmp_path / "cut.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("sdn.csv", SDN_ROW * 50)
        data = archive.read_bytes()
        archive.write_bytes(data[:30] + b"\x00" * 20 + data[50:])
        with pytest.raises(ListFormatError, match="zip"):
            read_ofac([archive])


class TestCorruptInput:
    def test_row_cut_mid_quote(self) -> None:
        sdn = TRIO[0].read_bytes()
        cut = sdn[: sdn.index(b"BANCO NACIONAL") + 5]
        with pytest.raises(ListFormatError, match="truncated") as exc:
            parse(cut)
        assert (exc.value.file, exc.value.line) == ("sdn.csv", 3)

    def test_row_with_missing_cells(self) -> None:
        with pytest.raises(ListFormatError, match="row has 4 cells, expected 12") as exc:
            parse(SDN_ROW + b'37,"X",-0- ,"CUBA"\n')
        assert exc.value.line == 2

    def test_alt_row_with_extra_cell(self) -> None:
        with pytest.raises(ListFormatError, match="row has 6 cells, expected 5") as exc:
            parse(SDN_ROW, alt=b'36,12,"aka","AERO-CARIBBEAN",-0- ,"x"\n')
        assert (exc.value.file, exc.value.line) == ("alt.csv", 1)

    def test_alt_pointing_to_unknown_ent_num(self) -> None:
        with pytest.raises(ListFormatError, match="ent_num 99 is not in the sdn.csv") as exc:
            parse(SDN_ROW, alt=b'36,12,"aka","AERO-CARIBBEAN",-0- \n99,13,"aka","GHOST",-0- \n')
        assert (exc.value.file, exc.value.line, exc.value.column) == ("alt.csv", 2, "ent_num")

    def test_add_pointing_to_unknown_ent_num(self) -> None:
        with pytest.raises(ListFormatError) as exc:
            parse(SDN_ROW, add=b'77,25,-0- ,"Havana","Cuba",-0- \n')
        assert (exc.value.file, exc.value.line, exc.value.column) == ("add.csv", 1, "ent_num")

    def test_missing_name(self) -> None:
        with pytest.raises(ListFormatError, match="empty SDN_Name") as exc:
            parse(SDN_ROW + b'37,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n')
        assert (exc.value.line, exc.value.column) == (2, "SDN_Name")

    def test_non_numeric_ent_num(self) -> None:
        with pytest.raises(ListFormatError) as exc:
            parse(SDN_ROW + b'X1,"N",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n')
        assert (exc.value.line, exc.value.column) == (2, "ent_num")

    def test_duplicate_ent_num(self) -> None:
        with pytest.raises(ListFormatError, match="duplicate ent_num 36"):
            parse(SDN_ROW + SDN_ROW)

    def test_bytes_undefined_in_cp1252(self) -> None:
        gbk = "丂".encode("gbk")  # b"\x81@": 0x81 has no cp1252 character
        with pytest.raises(ListFormatError, match="not valid cp1252") as exc:
            parse(SDN_ROW + b'37,"' + gbk + b'",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n')
        assert (exc.value.file, exc.value.line) == ("sdn.csv", 2)

    def test_latin1_names_decode(self) -> None:
        row = '37,"CORPORACIÓN",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'.encode("cp1252")
        assert parse(SDN_ROW + row + b"\x1a")[1].name == "CORPORACIÓN"

    def test_empty_file(self) -> None:
        with pytest.raises(ListFormatError, match="empty"):
            parse(b"  \n")
