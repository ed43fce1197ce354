"""The project's own snapshot CSV format (service.lists.parsers.snapshot_csv)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.snapshot_csv import looks_like_snapshot_csv, parse_snapshot_csv, read_snapshot_csv
from service.screening.model import ListEntry

SMALL = Path(__file__).parent.parent / "data" / "formats" / "snapshot_small.csv"
SHIPPED = Path(__file__).parent.parent.parent / "fixtures" / "lists"
HEADER = "list_id,name,aliases,chinese_name,country,city_or_address,date_added,legal_basis_or_section," \
         "source_citation,notes,entity_type\n"


def parse(rows: str) -> list[ListEntry]:
    return parse_snapshot_csv(HEADER + rows, source="uflpa_entity_list", file="snap.csv")


@pytest.fixture(scope="module")
def entries() -> dict[str, ListEntry]:
    return {e.entry_id: e for e in read_snapshot_csv(SMALL, source="ofac_sdn")}


class TestGoodFile:
    def test_entity_with_aliases(self, entries: dict[str, ListEntry]) -> None:
        psb = entries["ofac-001"]
        assert psb.source == "ofac_sdn"
        assert psb.name == "XINJIANG PUBLIC SECURITY BUREAU"
        assert psb.aliases == ("XINJIANG BUREAU OF PUBLIC SECURITY", "PUBLIC SECURITY DEPARTMENT OF XUAR")
        assert psb.chinese_names == ("新疆公安厅",)
        assert psb.country == "CN"
        assert psb.city == "Xinjiang"
        assert psb.program == "GLOMAG"
        assert psb.entity_type == "company"
        assert psb.date_listed is None
        assert psb.xinjiang_linked is True

    def test_person_from_notes(self, entries: dict[str, ListEntry]) -> None:
        zhu = entries["ofac-003"]
        assert (zhu.name, zhu.entity_type) == ("ZHU, Hailun", "person")
        assert zhu.chinese_names == ("朱海仑", "朱海侖")

    def test_region_wide_order(self, entries: dict[str, ListEntry]) -> None:
        xuar = entries["cbp-011"]
        assert xuar.date_listed == date(2021, 1, 13)
        assert xuar.entity_type == "organization"
        assert xuar.match_by_name is False
        assert xuar.extra == {"order_type": "region-wide WRO"}

    def test_header_sniffing(self) -> None:
        assert looks_like_snapshot_csv(HEADER)
        assert not looks_like_snapshot_csv("source,entity_number,name\n")

    @pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.csv")), ids=lambda p: p.name)
    def test_shipped_snapshot_parses(self, path: Path) -> None:
        parsed = read_snapshot_csv(path, source="x")
        assert parsed
        assert len({e.entry_id for e in parsed}) == len(parsed)


class TestBadRows:
    def test_missing_required_column(self) -> None:
        with pytest.raises(ListFormatError, match="list_id") as exc:
            parse_snapshot_csv("name,aliases\nA,B\n", source="s", file="snap.csv")
        assert exc.value.line == 1

    def test_empty_name(self) -> None:
        with pytest.raises(ListFormatError, match="empty name") as exc:
            parse("u-1,A,,,CN,,,,,,\nu-2,,,,CN,,,,,,\n")
        assert (exc.value.file, exc.value.line, exc.value.column) == ("snap.csv", 3, "name")

    def test_bad_date(self) -> None:
        with pytest.raises(ListFormatError, match="not an ISO date") as exc:
            parse("u-1,A,,,CN,,21/06/2022,,,,\n")
        assert (exc.value.line, exc.value.column) == (2, "date_added")

    def test_unknown_entity_type(self) -> None:
        with pytest.raises(ListFormatError) as exc:
            parse("u-1,A,,,CN,,,,,,ship\n")
        assert (exc.value.line, exc.value.column) == (2, "entity_type")

    def test_duplicate_id(self) -> None:
        with pytest.raises(ListFormatError, match="duplicate list_id") as exc:
            parse("u-1,A,,,CN,,,,,,\nu-1,B,,,CN,,,,,,\n")
        assert (exc.value.line, exc.value.column) == (3, "list_id")

    def test_too_many_cells(self) -> None:
        with pytest.raises(ListFormatError, match="12 cells") as exc:
            parse("u-1,A,,,CN,,,,,,,extra\n")
        assert exc.value.line == 2

    def test_too_few_cells(self) -> None:
        with pytest.raises(ListFormatError, match="fewer cells") as exc:
            parse("u-1,A,,,CN\n")
        assert exc.value.line == 2

    def test_row_cut_mid_quote(self) -> None:
        with pytest.raises(ListFormatError, match="malformed CSV"):
            parse('u-1,A,,,CN,,,,,,\nu-2,"Hetian Taida Apparel\n')
