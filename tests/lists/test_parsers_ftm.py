"""OpenSanctions FollowTheMoney entity lines: the real yente fixture and a crafted UFLPA-shaped sample."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.ftm import parse_ftm, read_ftm
from service.lists.parsers.xinjiang_tag import tag_xinjiang
from service.screening.model import ListEntry

DATA = Path(__file__).parent.parent / "data" / "formats"
REAL = DATA / "opensanctions_entities.ftm.json"
UFLPA = DATA / "uflpa_crafted.ftm.json"


def parse(path: Path, source: str = "opensanctions") -> dict[str, ListEntry]:
    return {e.entry_id: e for e in parse_ftm(path.read_text(encoding="utf-8"), source=source, file=path.name)}


def line(**fields: object) -> str:
    base: dict[str, object] = {"id": "x1", "schema": "Company", "properties": {"name": ["ACME"]}}
    return json.dumps({**base, **fields}, ensure_ascii=False) + "\n"


class TestRealSample:
    def test_keeps_persons_and_organisations_skips_addresses(self) -> None:
        result = read_ftm(REAL.read_text(encoding="utf-8"), source="opensanctions", file=REAL.name)
        assert len(result.entries) == 6
        assert result.skipped == {"Address": 1}

    def test_organization(self) -> None:
        irgc = parse(REAL)["NK-2PacmNpiLUmoz4XD2mSt7A"]
        assert irgc.source == "opensanctions"
        assert (irgc.name, irgc.aliases) == ("IRGC", ("Iranian Revolutionary Guard Corps",))
        assert irgc.entity_type == "organization"
        assert irgc.country == "IR"
        assert irgc.date_listed == date(2012, 3, 24)
        assert irgc.citation == "OpenSanctions eu_fsf"
        assert irgc.remarks == "Corrigendum 267/2012 (OJ L88) [corr. 04/12/2012-2]"

    def test_person_with_cyrillic_names(self) -> None:
        kuzmenko = parse(REAL)["NK-2Ka3UvopqbpZmVDFjWd4LA"]
        assert kuzmenko.entity_type == "person"
        assert kuzmenko.name == "Vitalij Kuzmenko"
        assert kuzmenko.aliases == ("Виталий Юрьевич КУЗЬМЕНКО", "Vitaly Yurievich KUZMENKO")
        assert kuzmenko.chinese_names == ()
        assert kuzmenko.date_listed == date(2024, 2, 23)

    def test_no_xinjiang_entries(self) -> None:
        entries = tag_xinjiang(parse(REAL).values(), lambda t: "xinjiang" in t.lower())
        assert [e for e in entries if e.xinjiang_linked] == []


class TestUflpaShapedSample:
    def test_han_names_go_to_chinese_names_only(self) -> None:
        xpcc = parse(UFLPA, source="uflpa_entity_list")["crafted-xpcc"]
        assert xpcc.source == "uflpa_entity_list"
        assert xpcc.name == "Xinjiang Production and Construction Corps"
        assert xpcc.aliases == ("XPCC", "Xinjiang Military Region Production and Construction Corps")
        assert xpcc.chinese_names == ("新疆生产建设兵团",)
        assert xpcc.program == "UFLPA Entity List"
        assert xpcc.citation == "https://www.dhs.gov/uflpa-entity-list"
        assert xpcc.date_listed == date(2022, 6, 21)

    def test_address_entity_resolved(self) -> None:
        xpcc = parse(UFLPA)["crafted-xpcc"]
        assert (xpcc.addresses, xpcc.city, xpcc.country) == (("Urumqi, Xinjiang, China",), "Urumqi", "CN")

    def test_partial_created_at_falls_back_to_first_seen(self) -> None:
        hoshine = parse(UFLPA)["crafted-hoshine"]
        assert hoshine.date_listed == date(2023, 6, 12)
        assert hoshine.aliases == ("Hoshine",)
        assert hoshine.addresses == ("Shanshan County, Turpan, Xinjiang",)

    def test_han_only_legal_entity(self) -> None:
        daqo = parse(UFLPA)["crafted-daqo-cn"]
        assert (daqo.name, daqo.entity_type, daqo.country) == ("新疆大全新能源股份有限公司", "unknown", "CN")

    def test_sanction_skipped_and_all_tagged(self) -> None:
        entries = tag_xinjiang(parse(UFLPA).values(), lambda t: "xinjiang" in t.lower() or "新疆" in t)
        assert sorted(e.entry_id for e in entries if e.xinjiang_linked) == [
            "crafted-daqo-cn", "crafted-hoshine", "crafted-xpcc"]


class TestCorruptInput:
    def test_line_cut_mid_object(self) -> None:
        lines = REAL.read_text(encoding="utf-8").splitlines(keepends=True)
        text = "".join(lines[:3]) + lines[3][:80]
        with pytest.raises(ListFormatError, match="cut off") as exc:
            parse_ftm(text, source="opensanctions", file="e.ftm.json")
        assert (exc.value.file, exc.value.line) == ("e.ftm.json", 4)

    def test_missing_schema(self) -> None:
        text = line() + json.dumps({"id": "x2", "properties": {}}) + "\n"
        with pytest.raises(ListFormatError) as exc:
            parse_ftm(text, source="s", file="f")
        assert (exc.value.line, exc.value.column) == (2, "schema")

    def test_company_without_name(self) -> None:
        with pytest.raises(ListFormatError, match="no name") as exc:
            parse_ftm(line() + line(id="x2", properties={"country": ["cn"]}), source="s", file="f")
        assert (exc.value.line, exc.value.column) == (2, "properties.name")

    def test_property_not_a_list(self) -> None:
        with pytest.raises(ListFormatError) as exc:
            parse_ftm(line(properties={"name": "ACME"}), source="s", file="f")
        assert (exc.value.line, exc.value.column) == (1, "properties.name")

    def test_duplicate_id(self) -> None:
        with pytest.raises(ListFormatError, match="duplicate id") as exc:
            parse_ftm(line() + line(), source="s", file="f")
        assert exc.value.line == 2

    def test_no_entities(self) -> None:
        with pytest.raises(ListFormatError, match="no entities"):
            parse_ftm("\n\n", source="s", file="f")
