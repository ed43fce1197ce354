"""Xinjiang place detection: the real cases must fire, every trap in false_positive_notes.md must not."""

from __future__ import annotations

import pytest

from service.refdata import load_gazetteer
from service.screening.geo import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def codes(gazetteer: Gazetteer, text: str, country: str | None = None) -> list[str | None]:
    return [hit.code for hit in gazetteer.find(text, country=country)]


class TestGazetteerData:
    def test_loads_every_place_and_indexes_spellings(self, gazetteer: Gazetteer) -> None:
        assert len(gazetteer.places) == 142
        assert gazetteer.alias_count > 800

    def test_parents_chain_county_to_region(self, gazetteer: Gazetteer) -> None:
        assert [p.code for p in gazetteer.parents("652801")] == ["652800", "650000"]


class TestRealLocations:
    @pytest.mark.parametrize(
        ("text", "code", "via"),
        [
            ("No. 1 Hotan Road, Hotan City, Xinjiang, China", "653201", "variant"),
            ("Aksu, Xinjiang", "652900", "variant"),
            ("阿克苏地区", "652900", "chinese"),
            ("Kashgar", "653100", "variant"),
            ("Kashi, Xinjiang, China", "653100", "pinyin"),
            ("Kashi, China", "653100", "pinyin"),
            ("Urumqi", "650100", "variant"),
            ("Ürümqi, P.R. China", "650100", "variant"),
            ("Wu lu mu qi Shi, CN", "650100", "pinyin"),
            ("新疆维吾尔自治区乌鲁木齐市", "650100", "chinese"),
            ("新疆維吾爾自治區烏魯木齊市", "650100", "chinese"),
            ("Korla, Bayingolin", "652801", "variant"),
            ("Xinjiang Uyghur Autonomous Region", "650000", "variant"),
            ("CN-XJ", "650000", "code"),
            ("CN-65", "650000", "code"),
            ("迪化", "650100", "historical"),
            ("Tihwa", "650100", "historical"),
            ("库车县", "652902", "historical"),
            ("吐鲁番地区", "650400", "historical"),
            ("Altay, Xinjiang", "654300", "variant"),
            ("Aksu, 843000, China", "652900", "variant"),
        ],
    )
    def test_fires(self, gazetteer: Gazetteer, text: str, code: str, via: str) -> None:
        hits = gazetteer.find(text)
        assert [(h.code, h.via) for h in hits] == [(code, via)]

    def test_offsets_point_into_the_original_text(self, gazetteer: Gazetteer) -> None:
        text = "Room 5, Ürümqi Economic Zone, China"
        (hit,) = gazetteer.find(text)
        assert text[hit.start : hit.end] == "Ürümqi" == hit.matched_text

    def test_urumqi_in_a_cn_address(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "88 Beijing South Road, Urumqi", country="CN") == ["650100"]

    def test_most_specific_hit_keeps_county_over_prefecture(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "新疆巴音郭楞蒙古自治州库尔勒市") == ["652801"]

    def test_short_token_fires_next_to_a_xinjiang_place_and_keeps_that_place(self, gazetteer: Gazetteer) -> None:
        # "Yuli" counts only through its context, so the context place is not hidden behind it.
        assert codes(gazetteer, "Yuli County, Bayingolin, Xinjiang") == ["652823", "652800"]

    def test_generic_historical_name_needs_xinjiang_context(self, gazetteer: Gazetteer) -> None:
        hits = gazetteer.find("新疆东山区")
        assert [(h.code, h.via) for h in hits] == [("650000", "chinese"), ("650100", "historical")]
        assert gazetteer.find("东山区") == []

    def test_company_brand_word_keeps_the_region(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "Xinjiang Tianshan Wool Textile Co. Ltd.") == ["650000", "650102"]


class TestXpcc:
    @pytest.mark.parametrize(
        ("text", "name"),
        [
            ("兵团", "新疆生产建设兵团"),
            ("XPCC", "新疆生产建设兵团"),
            ("Bingtuan", "新疆生产建设兵团"),
            ("China Xinjian Group", "新疆生产建设兵团"),
            ("农一师", "第一师"),
            ("First Agricultural Division", "第一师"),
        ],
    )
    def test_corps_and_divisions(self, gazetteer: Gazetteer, text: str, name: str) -> None:
        assert [(h.chinese_name, h.level, h.code) for h in gazetteer.find(text)] == [(name, "xpcc_division", None)]

    def test_city_with_division(self, gazetteer: Gazetteer) -> None:
        hits = gazetteer.find("Shihezi, XPCC 8th Division")
        assert [(h.code, h.chinese_name) for h in hits] == [("659001", "石河子市"), (None, "第八师")]

    def test_division_city_compound_name_gives_both(self, gazetteer: Gazetteer) -> None:
        hits = gazetteer.find("新疆生产建设兵团第九师白杨市")
        assert {(h.code, h.chinese_name) for h in hits} == {(None, "第九师"), ("659012", "白杨市")}

    def test_generic_city_word_with_bingtuan_context(self, gazetteer: Gazetteer) -> None:
        assert "659011" in codes(gazetteer, "兵团 新星市")


class TestProductClaim:
    @pytest.mark.parametrize("text", ["100% Xinjiang cotton T-shirt", "新疆棉 针织衫", "Xinjiang long-staple cotton"])
    def test_cotton_claim_is_a_product_claim_hit(self, gazetteer: Gazetteer, text: str) -> None:
        hits = gazetteer.find(text)
        assert [(h.code, h.via) for h in hits] == [("650000", "product_claim")]
        assert gazetteer.mentions_xinjiang(text)


class TestTraps:
    @pytest.mark.parametrize(
        "text",
        [
            # 1. streets named after Xinjiang places in other cities
            "上海市乌鲁木齐路", "上海市徐汇区乌鲁木齐中路100号", "Urumqi Road, Shanghai",
            "Middle Urumqi Rd, Shanghai, China",
            "青岛新疆路", "Xinjiang Rd, Qingdao", "伊宁路", "Yili Road, Changning, Shanghai", "台北市迪化街",
            # 2. product names
            "Hami melon", "哈密瓜", "Korla pear", "库尔勒香梨", "和田玉", "Hotan jade", "新疆菜", "新疆餐厅",
            "Xinjiang-style restaurant", "Turpan raisins", "Aksu apples, China",
            # 3. same names abroad
            "Aksu, Pavlodar Region, Kazakhstan", "Aksu, Antalya, Turkey", "Altai Krai, Russia", "Altay, Russia",
            "Khorgos, Kazakhstan", "Khorgos ICBC, Almaty Region", "Manas, Kyrgyzstan", "Manas International Airport",
            "Aral Sea", "Kashi", "Aksu, China, shipped from Kazakhstan",
            # 4. short tokens and pinyin stems
            "Brazil", "Santiago, Chile", "Manila, Philippines", "Ili, Philippines", "Bay Area, CA", "Bayonne, NJ",
            "Usu", "Yulin, Guangxi, China", "Yuli, China", "Xinhe County, Xingtai, Hebei, China", "河北省邢台市新河县",
            "Qinghe County, Hebei, China", "清河县", "Baicheng, Jilin, China", "吉林省白城市",
            "Shawan District, Leshan, Sichuan, China", "四川省乐山市沙湾区", "Tianshan District, Shijiazhuang, China",
            "Xinshi District, Baoding, Hebei, China", "Yiwu, Zhejiang, China", "Ningbo Shanshan Co., Ltd., China",
            "仓库车间", "阿克苏诺贝尔涂料", "乌苏里江", "第一师范学院", "和田株式会社",
            # 5. Xinjiang County (新绛), Shanxi
            "Xinjiang County, Yuncheng, Shanxi, China", "Xinjiang, Yuncheng, Shanxi", "山西省运城市新绛县",
            # generic XPCC words without context
            "白杨", "新星", "双河", "白杨市场", "First Division", "Construction Engineering Division", "the Corps",
        ],
    )
    def test_does_not_fire(self, gazetteer: Gazetteer, text: str) -> None:
        assert gazetteer.find(text) == []

    def test_foreign_country_field_alone_does_not_license_shared_names(self, gazetteer: Gazetteer) -> None:
        assert gazetteer.find("Aksu", country="KZ") == []

    def test_street_name_does_not_hide_a_real_location(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "Kashgar Road, Hotan City") == ["653201"]


class TestMoreTraps:
    @pytest.mark.parametrize("text", ["哈密顿大学", "汉密尔顿", "巴楚文化", "新疆路桥建设集团 上海"])
    def test_words_containing_place_names(self, gazetteer: Gazetteer, text: str) -> None:
        hits = gazetteer.find(text)
        assert [h.code for h in hits] == (["650000"] if "路桥" in text else [])

    def test_prefecture_before_county_named_after_jade(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "和田地区墨玉县") == ["653222"]

    def test_catering_company_in_urumqi_is_not_a_restaurant_name(self, gazetteer: Gazetteer) -> None:
        assert codes(gazetteer, "乌鲁木齐餐饮有限公司") == ["650100"]

    def test_kashi_in_india_is_varanasi(self, gazetteer: Gazetteer) -> None:
        assert gazetteer.find("Kashi, Uttar Pradesh, India") == []


def test_old_xinjiang_name_shared_with_another_province_needs_xinjiang_context() -> None:
    from service.refdata.loaders import load_gazetteer

    gazetteer = load_gazetteer()
    hebei = "Gucheng Xian Fengxin Titanium Alloy, Gucheng County, Hebei Province, China"
    assert gazetteer.find(hebei, country="CN") == []
    assert [h.chinese_name for h in gazetteer.find("Gucheng, Changji, Xinjiang", country="CN")][:1] == ["奇台县"]
