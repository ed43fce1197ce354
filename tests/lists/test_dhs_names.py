"""The name-cell grammar of the DHS UFLPA Entity List page, one form per test."""

from __future__ import annotations

import pytest

from service.lists.parsers.dhs_names import CellError, NameCell, parse_name_cell, split_names


class TestPlainNames:
    def test_nbsp_and_spacing_collapse(self) -> None:
        assert parse_name_cell("  Baoding\xa0LYSZD Trade and\n Business Co., Ltd. ") == NameCell(
            name="Baoding LYSZD Trade and Business Co., Ltd.")

    def test_parentheses_of_the_name_stay(self) -> None:
        cell = parse_name_cell("Kashgar Construction Engineering (Group) Co., Ltd.")
        assert cell == NameCell(name="Kashgar Construction Engineering (Group) Co., Ltd.")

    def test_and_inside_a_name_is_not_group_wording(self) -> None:
        assert parse_name_cell("Xinjiang Junggar Cotton and Linen Co., Ltd.").listing_scope == ""

    def test_empty_cell_refused(self) -> None:
        with pytest.raises(CellError, match="empty name"):
            parse_name_cell("\xa0 ")


class TestAliases:
    def test_one_alias_with_parentheses_inside(self) -> None:
        cell = parse_name_cell("Hoshine Silicon Industry (Shanshan) Co., Ltd (including one alias: "
                               "Hesheng Silicon Industry (Shanshan) Co.) and subsidiaries")
        assert cell == NameCell(name="Hoshine Silicon Industry (Shanshan) Co., Ltd",
                                aliases=("Hesheng Silicon Industry (Shanshan) Co.",), listing_scope="and subsidiaries")

    def test_three_aliases_with_commas_inside(self) -> None:
        cell = parse_name_cell("Xinjiang Daqo New Energy Co., Ltd. (including three aliases: Xinjiang Great New "
                               "Energy Co., Ltd.; Xinjiang Daxin Energy Co., Ltd.; and Xinjiang Daqin Energy Co., "
                               "Ltd.)")
        assert cell.name == "Xinjiang Daqo New Energy Co., Ltd."
        assert cell.aliases == ("Xinjiang Great New Energy Co., Ltd.", "Xinjiang Daxin Energy Co., Ltd.",
                                "Xinjiang Daqin Energy Co., Ltd.")

    def test_count_that_does_not_match_is_refused(self) -> None:
        with pytest.raises(CellError, match="says three alias"):
            parse_name_cell("Foo Co., Ltd. (including three aliases: Foo One; and Foo Two)")


class TestFormerNames:
    def test_former_names_are_aliases_and_marked(self) -> None:
        cell = parse_name_cell("Xinjiang Goens Energy Technology Co., Ltd. (formerly known as Xinjiang GCL New "
                               "Energy Material Technology Co., Ltd.; and Xinjiang GCL New Energy Materials "
                               "Technology Co.)")
        former = ("Xinjiang GCL New Energy Material Technology Co., Ltd.",
                  "Xinjiang GCL New Energy Materials Technology Co.")
        assert cell == NameCell(name="Xinjiang Goens Energy Technology Co., Ltd.", aliases=former,
                                former_names=former)

    def test_former_name_and_aliases_in_one_parenthesis(self) -> None:
        cell = parse_name_cell("Changhong Meiling Co., Ltd. (including one alias: Hefei Meiling Group Holdings "
                               "Limited; formerly known as Hefei Meiling Co., Ltd.)")
        assert cell.aliases == ("Hefei Meiling Group Holdings Limited", "Hefei Meiling Co., Ltd.")
        assert cell.former_names == ("Hefei Meiling Co., Ltd.",)


class TestGroupWording:
    @pytest.mark.parametrize(("cell", "name", "scope"), [
        ("Hoshine Silicon Industry Co. Ltd. and subsidiaries", "Hoshine Silicon Industry Co. Ltd.", "and subsidiaries"),
        ("Tangshan Sanyou Group, and Subsidiaries", "Tangshan Sanyou Group", "and subsidiaries"),
        ("Xinjiang Production and Construction Corps and its subordinate and affiliated entities",
         "Xinjiang Production and Construction Corps", "and its subordinate and affiliated entities"),
        ("Xinjiang Production and Construction Corps (XPCC) and its subordinates",
         "Xinjiang Production and Construction Corps (XPCC)", "and its subordinates"),
    ])
    def test_scope_leaves_the_name(self, cell: str, name: str, scope: str) -> None:
        parsed = parse_name_cell(cell)
        assert (parsed.name, parsed.listing_scope, parsed.subsidiaries) == (name, scope, ())

    def test_subsidiary_named(self) -> None:
        cell = parse_name_cell("Xinjiang Energy (Group) Co., Ltd. (including one alias: Xinjiang Energy) and its "
                               "subsidiary Xinjiang Energy (Group) Real Estate Co., Ltd (including one alias: "
                               "Xinjiang Energy Real Estate)")
        assert cell.name == "Xinjiang Energy (Group) Co., Ltd."
        assert cell.aliases == ("Xinjiang Energy",)
        assert cell.listing_scope == "and its subsidiary"
        assert cell.subsidiaries == (NameCell(name="Xinjiang Energy (Group) Real Estate Co., Ltd",
                                              aliases=("Xinjiang Energy Real Estate",)),)

    def test_n_place_based_subsidiaries_which_include(self) -> None:
        subs = ["Zhuhai Ninestar Information Technology Co., Ltd.", "Zhuhai Pantum Electronics Co., Ltd.",
                "Zhuhai Apex Microelectronics Co., Ltd.", "Geehy Semiconductor Co., Ltd.",
                "Zhuhai Pu-Tech Industrial Co., Ltd.", "Zhuhai G&G Digital Technology Co., Ltd.",
                "Zhuhai Seine Printing Technology Co., Ltd.", "Zhuhai Ninestar Management Co., Ltd."]
        text = ("Ninestar Corporation and its eight Zhuhai-based subsidiaries, which include "
                + ", ".join(subs[:-1]) + f", and {subs[-1]}")
        cell = parse_name_cell(text)
        assert cell.name == "Ninestar Corporation"
        assert cell.listing_scope == "and its eight Zhuhai-based subsidiaries"
        assert [s.name for s in cell.subsidiaries] == subs

    def test_subsidiaries_separated_by_semicolons(self) -> None:
        cell = parse_name_cell("Ninestar Corporation and its two Zhuhai-based subsidiaries, which include Zhuhai "
                               "Pantum Electronics Co., Ltd.; and Zhuhai Seine Printing Technology Co., Ltd.")
        assert [s.name for s in cell.subsidiaries] == ["Zhuhai Pantum Electronics Co., Ltd.",
                                                       "Zhuhai Seine Printing Technology Co., Ltd."]

    def test_subsidiary_count_that_does_not_match_is_refused(self) -> None:
        with pytest.raises(CellError, match="says 8 subsidiaries but names 2"):
            parse_name_cell("Ninestar Corporation and its eight Zhuhai-based subsidiaries, which include "
                            "Zhuhai Pantum Electronics Co., Ltd., and Geehy Semiconductor Co., Ltd.")


class TestSplitNames:
    def test_legal_form_after_a_comma_stays_with_its_name(self) -> None:
        assert split_names("A Trading Co., Ltd., B Holdings, Inc., and C Limited") == [
            "A Trading Co., Ltd.", "B Holdings, Inc.", "C Limited"]

    def test_unbalanced_parenthesis_refused(self) -> None:
        with pytest.raises(CellError, match="unbalanced"):
            parse_name_cell("Foo (Group Co., Ltd.")
