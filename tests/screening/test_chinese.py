"""Chinese-script paths: traditional -> simplified, Han -> pinyin, glossary translation, legal suffixes."""

from __future__ import annotations

from service.screening.chinese import (
    PINYIN_GLOSS,
    han_forms,
    has_han,
    person_syllables,
    pinyin,
    script_of,
    segment,
    strip_han_legal,
    to_simplified,
)
from service.screening.matcher import MatchQuery, compare


class TestScript:
    def test_detects_scripts(self) -> None:
        assert script_of("新疆合盛硅业") == "han"
        assert script_of("Hoshine") == "latin"
        assert script_of("Hoshine 合盛") == "mixed"
        assert has_han("abc") is False

    def test_traditional_to_simplified(self) -> None:
        assert to_simplified("新疆東方希望有色金屬有限公司") == "新疆东方希望有色金属有限公司"


class TestPinyin:
    def test_toneless_syllables(self) -> None:
        assert pinyin("合盛") == ("he", "sheng")

    def test_u_umlaut_written_u(self) -> None:
        assert pinyin("绿叶") == ("lu", "ye")

    def test_person_name_surname_then_joined_given_name(self) -> None:
        assert person_syllables("陳全國") == ("chen", "quanguo")

    def test_pinyin_of_generic_words_is_glossed(self) -> None:
        assert PINYIN_GLOSS["kuangye"] == "mining"
        assert "xinjiang" not in PINYIN_GLOSS  # a place that romanises to itself needs no gloss


class TestLegalSuffixes:
    def test_stripped_repeatedly_from_the_end(self) -> None:
        assert strip_han_legal("新疆中泰集团有限公司") == ("新疆中泰", ["group", "ltd"])
        assert strip_han_legal("合盛硅业股份有限公司") == ("合盛硅业", ["jsc"])
        assert strip_han_legal("和田浩林发饰有限责任公司") == ("和田浩林发饰", ["llc"])

    def test_a_bare_suffix_is_not_stripped_to_nothing(self) -> None:
        assert strip_han_legal("公司") == ("公司", [])


class TestGlossary:
    def test_segmentation_translates_generic_words_only(self) -> None:
        assert segment("新疆合盛硅业") == [("新疆", "xinjiang"), ("合盛", None), ("硅业", "silicon industry")]

    def test_translated_and_pinyin_forms(self) -> None:
        translated, romanised = han_forms("新疆合盛硅业有限公司")
        assert translated.tokens == ("xinjiang", "hesheng", "silicon", "industry")
        assert romanised.tokens == ("xinjiang", "hesheng", "guiye")
        assert translated.legal == ("ltd",)
        assert translated.method == "glossary_translation"
        assert romanised.method == "pinyin"

    def test_traditional_name_gives_the_same_forms(self) -> None:
        assert han_forms("新疆東方希望有色金屬有限公司")[0].tokens == (
            "xinjiang", "east", "hope", "nonferrous", "metal")

    def test_han_name_meets_its_romanised_form(self) -> None:
        pair = compare(MatchQuery("新疆合盛硅业有限公司"), MatchQuery("Xinjiang He Sheng Gui Ye"))
        assert pair.band == "strong"
        assert pair.features.to_dict()["method"] == "pinyin"

    def test_han_name_meets_english_listed_name_without_chinese_alias(self) -> None:
        pair = compare(MatchQuery("和田浩林发饰有限公司"), MatchQuery("Hetian Haolin Hair Accessories Co., Ltd."))
        assert pair.band == "strong"
        assert pair.features.to_dict()["method"] == "glossary_translation"
        assert pair.features.to_dict()["query_script"] == "han"

    def test_romanised_generic_words_meet_their_translation(self) -> None:
        pair = compare(MatchQuery("Zijin Kuangye Jituan Co., Ltd."), MatchQuery("Zijin Mining Group Co., Ltd."))
        assert pair.band is not None

    def test_han_names_sharing_only_generic_words_do_not_match(self) -> None:
        pair = compare(MatchQuery("新疆德隆新能源材料科技有限公司"), MatchQuery("新疆协鑫新能源材料科技有限公司"))
        assert pair.band is None
