"""trade.gov Consolidated Screening List: both real CSV layouts and the JSON sample built from them."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.csl import list_code, parse_csl_csv, parse_csl_json
from service.lists.parsers.xinjiang_tag import tag_xinjiang
from service.screening.model import ListEntry

DATA = Path(__file__).parent.parent / "data" / "formats"
OLD = DATA / "csl_consolidated.csv"
NEW = DATA / "csl_consolidated_with_id.csv"
JSON = DATA / "csl_consolidated.json"


def mentions_xinjiang(text: str) -> bool:
    return "xinjiang" in text.lower() or "urumqi" in text.lower()


def parse_csv(path: Path) -> dict[str, ListEntry]:
    return {e.entry_id: e for e in parse_csl_csv(path.read_text(encoding="utf-8"), file=path.name)}


def parse_json(text: str) -> list[ListEntry]:
    return parse_csl_json(text, file="csl.json")


def head_and_row(path: Path, n: int) -> tuple[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[0], lines[n]


class TestListCode:
    @pytest.mark.parametrize(("name", "code"), [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "SDN"),
        ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", "CMIC"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "NS-MBS"),
        ("Some new list", None),
    ])
    def test_codes(self, name: str, code: str | None) -> None:
        assert list_code(name) == code


class TestOlderCsvLayout:
    def test_counts(self) -> None:
        assert len(parse_csv(OLD)) == 115

    def test_capta_entry_keyed_by_entity_number(self) -> None:
        kunlun = parse_csv(OLD)["15268"]
        assert kunlun.name == "BANK OF KUNLUN CO LTD"
        assert kunlun.entity_type == "company"
        assert kunlun.aliases == ("KARAMAY URBAN CREDIT COOPERATIVES", "KARAMAY CITY COMMERCIAL BANK CO LTD.")
        assert kunlun.addresses[2] == "No. 7 Century Ave, (Registered Office), Xinjiang, Karamay, 834000, CN"
        assert kunlun.country == "CN"
        assert kunlun.program == "Capta List (CAP) - Treasury Department"
        assert kunlun.extra["list_code"] == "CAP"
        assert kunlun.extra["programs"] == "561-Related"

    def test_entity_list_entry_without_number_gets_name_hash(self) -> None:
        key = hashlib.sha256(b"Entity List (EL) - Bureau of Industry and Security|32 Group China Ltd.")
        entry = parse_csv(OLD)["h:" + key.hexdigest()[:16]]
        assert entry.name == "32 Group China Ltd."
        assert entry.extra["list_code"] == "EL"
        assert entry.country == "HK"
        assert entry.date_listed == date(2015, 11, 12)
        assert entry.legal_basis == (
            "Export Administration Regulations, 15 C.F.R. part 744, Supplement No. 4 (Entity List)")
        assert entry.citation == "80 FR 69852; http://bit.ly/1L47xrV"

    def test_vessel(self) -> None:
        vessel = parse_csv(OLD)["27304"]
        assert (vessel.name, vessel.entity_type, vessel.aliases) == ("ADRIAN DARYA 1", "vessel", ("GRACE 1",))

    def test_repeated_name_gets_distinct_stable_ids(self) -> None:
        first = sorted(parse_csv(OLD))
        assert len(set(first)) == 115
        assert first == sorted(parse_csv(OLD))

    def test_sdn_and_entity_list_hits_are_told_apart(self) -> None:
        codes = [e.extra["list_code"] for e in parse_csv(OLD).values()]
        assert (codes.count("SDN"), codes.count("EL"), codes.count("SSI")) == (28, 22, 26)

    def test_one_xinjiang_entry(self) -> None:
        entries = tag_xinjiang(parse_csv(OLD).values(), mentions_xinjiang)
        tagged = [e.entry_id for e in entries if e.xinjiang_linked]
        assert tagged == ["15268"]


class TestNewerCsvLayout:
    def test_keyed_by_id(self) -> None:
        entries = parse_csv(NEW)
        assert len(entries) == 13
        meu = entries["66f6ab3f26234b75a9093fce79ef0ce0"]
        assert meu.name == "Academy of Aerospace Solid Propulsion Technology (AASPT)"
        assert meu.extra["list_code"] == "MEU"
        assert meu.country == "CN"
        assert meu.addresses == ("Tian Wang te Zi #1, Baqiao District, Xian, China, CN",)
        assert meu.date_listed == date(2020, 12, 23)
        assert meu.citation == "85 FR 83799; https://www.bis.doc.gov/index.php/policy-guidance/" \
                               "lists-of-parties-of-concern"

    def test_person(self) -> None:
        rim = parse_csv(NEW)["52291"]
        assert (rim.name, rim.entity_type, rim.country) == ("RIM, Ryong Nam", "person", "CN")
        assert rim.extra["list_code"] == "SDN"


class TestJson:
    def test_same_entries_as_the_csv_rows_it_was_built_from(self) -> None:
        entries = {e.entry_id: e for e in parse_json(JSON.read_text(encoding="utf-8"))}
        assert len(entries) == 15
        assert set(parse_csv(NEW)) < set(entries)
        kunlun = entries["15268"]
        assert kunlun.city == "Daqing"
        assert kunlun.addresses[2] == "No. 7 Century Ave, (Registered Office), Karamay, Xinjiang, 834000, CN"
        sme = entries["18283"]
        assert (sme.name, sme.city, sme.country) == ("SME BANK", "Moscow", "RU")
        assert sme.extra["list_code"] == "SSI"

    def test_truncated_mid_object(self) -> None:
        text = JSON.read_text(encoding="utf-8")
        with pytest.raises(ListFormatError, match="truncated") as exc:
            parse_json(text[: text.index('"SME BANK"')])
        assert exc.value.line == text[: text.index('"SME BANK"')].count("\n") + 1

    def test_missing_name_names_the_result_line(self) -> None:
        text = JSON.read_text(encoding="utf-8").replace('"name": "SME BANK"', '"name": ""')
        with pytest.raises(ListFormatError, match="empty name") as exc:
            parse_json(text)
        assert (exc.value.line, exc.value.column) == (544, "name")

    def test_alt_names_of_wrong_type(self) -> None:
        with pytest.raises(ListFormatError) as exc:
            parse_json('{"results": [\n{"source": "Entity List (EL) - X", "name": "A", "alt_names": "B"}\n]}')
        assert (exc.value.line, exc.value.column) == (2, "alt_names")

    def test_not_a_results_object(self) -> None:
        with pytest.raises(ListFormatError, match="results"):
            parse_json('{"data": []}')


class TestCorruptCsv:
    def test_row_cut_mid_quote(self) -> None:
        head, row = head_and_row(NEW, 3)
        with pytest.raises(ListFormatError, match="truncated") as exc:
            parse_csl_csv(head + row[:60], file="csl.csv")
        assert (exc.value.file, exc.value.line) == ("csl.csv", 2)

    def test_row_with_a_missing_cell(self) -> None:
        head, row = head_and_row(NEW, 2)
        with pytest.raises(ListFormatError, match="row has 28 cells, expected 29") as exc:
            parse_csl_csv(head + row + row.replace('"",', "", 1), file="csl.csv")
        assert exc.value.line == 3

    def test_unquoted_row_cut_short(self) -> None:
        head, row = head_and_row(OLD, 2)
        with pytest.raises(ListFormatError, match="row has 5 cells, expected 28") as exc:
            parse_csl_csv(head + row + row[:80], file="csl.csv")
        assert exc.value.line == 3

    def test_missing_name(self) -> None:
        head, row = head_and_row(NEW, 2)
        with pytest.raises(ListFormatError, match="empty name") as exc:
            parse_csl_csv(head + row.replace('"Atlas Sanatgaran"', '""'), file="csl.csv")
        assert (exc.value.line, exc.value.column) == (2, "name")

    def test_bad_start_date(self) -> None:
        head, row = head_and_row(NEW, 3)
        with pytest.raises(ListFormatError) as exc:
            parse_csl_csv(head + row.replace('"2020-12-23"', '"23/12/2020"'), file="csl.csv")
        assert (exc.value.line, exc.value.column) == (2, "start_date")

    def test_header_without_id_columns(self) -> None:
        with pytest.raises(ListFormatError, match="header") as exc:
            parse_csl_csv("source,name\nX,Y\n", file="csl.csv")
        assert exc.value.line == 1
