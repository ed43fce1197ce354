"""Name cleaning: noise is cut into an ignored part, other names are kept, listed names are never touched."""

from __future__ import annotations

import pytest

from benchmarks.match_quality import load_shipped_entries
from service.screening.cleaning import clean_name, display_order

NAME = "Hoshine Silicon Industry (Shanshan) Co., Ltd."


class TestNoise:
    @pytest.mark.parametrize("noise", [
        " Attn Purchasing", " Attention: Accounts Payable", " ATTN: MR LI", " c/o Shanghai Office",
        ", care of Ningbo agent", " - Purchasing Dept", ", Procurement Department", " / Accounts Payable",
        " Sales Dept", " Contact: Ms. Wang 13800000000", " Tel: +86 995 1234567", " Fax 0995-123",
        " No. 8 Shilin Road, Shanshan County, Xinjiang", ", Shanshan County, Turpan, Xinjiang 838200",
        " Room 1201, Tower 2", " 88 Renmin Road Urumqi", " - DO NOT USE", " (old)", " *BLOCKED*", " [INACTIVE]",
        " - obsolete", " DNU",
    ])
    def test_trailing_noise_is_cut_and_shown(self, noise: str) -> None:
        cleaned = clean_name(NAME + noise)
        assert cleaned.text == NAME
        assert len(cleaned.ignored) == 1
        assert cleaned.ignored[0] in NAME + noise

    @pytest.mark.parametrize("marker", ["*BLOCKED* ", "ZZ-", "XX ", "ZZZ_", "[INACTIVE] ", "(DO NOT USE) "])
    def test_leading_markers_are_cut(self, marker: str) -> None:
        assert clean_name(marker + NAME).text == NAME

    @pytest.mark.parametrize(("raw", "chinese"), [
        ("合盛硅业股份有限公司采购部", "合盛硅业股份有限公司"),
        ("合盛硅业股份有限公司 浙江省嘉兴市乍浦镇雅山西路530号", "合盛硅业股份有限公司"),
        ("新疆中泰化学股份有限公司，地址：乌鲁木齐市", "新疆中泰化学股份有限公司"),
    ])
    def test_chinese_departments_and_addresses(self, raw: str, chinese: str) -> None:
        assert clean_name(raw).text == chinese

    @pytest.mark.parametrize("keyword", ["formerly", "formerly known as", "f/k/a", "fka", "previously", "d/b/a"])
    def test_other_names_are_kept_as_names(self, keyword: str) -> None:
        cleaned = clean_name(f"Acme Trading Ltd ({keyword} Xinjiang GCL New Energy Material Technology Co Ltd)")
        assert cleaned.text == "Acme Trading Ltd"
        assert cleaned.other_names == ("Xinjiang GCL New Energy Material Technology Co Ltd",)


class TestInvisibleAndReversed:
    def test_right_to_left_override_is_read_as_displayed(self) -> None:
        cleaned = clean_name("\u202e" + NAME[::-1])
        assert cleaned.text == NAME
        assert cleaned.reordered

    def test_override_ends_at_pop(self) -> None:
        assert display_order("Acme \u202ediova\u202c Ltd") == ("Acme avoid\u202c Ltd", True)
        assert clean_name("Acme \u202ediova\u202c Ltd").text == "Acme avoid Ltd"

    @pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200f", "\u2066"])
    def test_zero_width_and_bidi_controls_are_dropped(self, char: str) -> None:
        assert clean_name(f"Hoshine{char} Silicon Industry").text == "Hoshine Silicon Industry"


class TestListedNamesUntouched:
    @pytest.mark.parametrize("name", [
        "China Cotton Group Henan Logistics Park Co., Ltd., Xinye Branch", "Nanhu Tree Farm, Zhejiang Sanmei Tea "
        "Co., Ltd.", "Hoshine Silicon Industry Co. Ltd. and Subsidiaries", "TODOROVIC, Stevan", "LO, Stephen",
        "TRANZ-TEL, A.S.", "EMMA TEL LLC", "YK-AKA", "Old Mutual plc", "Tianjin No. 2 Malleable Iron Plant",
        "PUBLIC SECURITY DEPARTMENT OF XINJIANG UYGAR AUTONOMOUS REGION", "AL-AMER FOR CONCRETE, BLOCK AND TILE "
        "MANUFACTURING LLC", "ENDOWMENT FOR CARE OF LEBANESE AND PALESTINIAN FAMILIES", "OMEARA NAVARRO, Mary Lu",
        "ISLAMIC STATE OF IRAQ AND THE LEVANT - CAUCASUS PROVINCE", "CONSTRUCTION HOLDING COMPANY OLD CITY - KARST",
    ])
    def test_real_listed_names_pass_unchanged(self, name: str) -> None:
        assert clean_name(name).text == name
        assert not clean_name(name).changed

    def test_no_shipped_name_is_changed(self) -> None:
        changed = [n for e in load_shipped_entries() for n in e.all_names if clean_name(n).changed]
        assert changed == []
