"""Scoring features: legal form, country, Xinjiang place, address, and the generic-token traps."""

from __future__ import annotations

import pytest

from service.screening.bound import NameBound, candidate_facts
from service.screening.matcher import MatchQuery, Thresholds, compare
from service.screening.normalize import country_code
from service.screening.person_names import may_reach as person_may_reach
from service.screening.person_names import person_similarity
from service.screening.scoring import best_name_score, compute_forms, token_sim

REVIEW = Thresholds().review


class TestTokenSim:
    def test_exact_and_typo(self) -> None:
        assert token_sim("hoshine", "hoshine") == 1.0
        assert token_sim("hoshine", "hoshlne") >= 0.8

    def test_short_tokens_must_be_equal(self) -> None:
        assert token_sim("abc", "abd") == 0.0

    def test_abbreviation_of_a_generic_word(self) -> None:
        assert token_sim("prtg", "printing") == 0.85
        assert token_sim("hsn", "hoshine") == 0.0  # distinctive words are not abbreviated


class TestCountry:
    @pytest.mark.parametrize(("raw", "code"), [
        ("CN", "CN"), ("China", "CN"), ("PRC", "CN"), ("中国", "CN"), ("Hong Kong", "HK"), ("vn", "VN"),
        ("", None), (None, None), ("Atlantis", None),
    ])
    def test_codes(self, raw: str | None, code: str | None) -> None:
        assert country_code(raw) == code

    def test_conflict_lowers_the_score(self) -> None:
        same = compare(MatchQuery("Zhuhai Pantum Electronics", country="CN"), MatchQuery("Zhuhai Pantum Electronics",
                                                                                          country="CN"))
        other = compare(MatchQuery("Zhuhai Pantum Electronics", country="US"),
                        MatchQuery("Zhuhai Pantum Electronics", country="CN"))
        assert same.features.to_dict()["country"] == "agree"
        assert other.features.to_dict()["country"] == "conflict"
        assert other.score < same.score

    def test_hong_kong_agrees_with_china_and_unknown_is_neutral(self) -> None:
        hk = compare(MatchQuery("Century Sunshine Group", country="HK"), MatchQuery("Century Sunshine Group",
                                                                                   country="CN"))
        unknown = compare(MatchQuery("Century Sunshine Group"), MatchQuery("Century Sunshine Group", country="CN"))
        assert hk.features.to_dict()["country"] == "agree"
        assert unknown.features.to_dict()["country"] == "unknown"
        assert hk.score == unknown.score


class TestLegalForm:
    def test_conflict_is_a_feature_and_lowers_the_score(self) -> None:
        ag = compare(MatchQuery("Deutsche Bank AG"), MatchQuery("Deutsche Bank GmbH"))
        same = compare(MatchQuery("Deutsche Bank AG"), MatchQuery("Deutsche Bank Aktiengesellschaft"))
        assert ag.features.to_dict()["legal_form"] == {"status": "conflict", "query": ["ag"], "candidate": ["gmbh"]}
        assert same.features.to_dict()["legal_form"] == {"status": "agree", "query": ["ag"], "candidate": ["ag"]}
        assert ag.score < same.score

    def test_absent_when_one_side_has_none(self) -> None:
        pair = compare(MatchQuery("Camel"), MatchQuery("Camel Co., Ltd."))
        assert pair.features.to_dict()["legal_form"] == {"status": "absent", "query": [], "candidate": ["ltd"]}


class TestPlaceContext:
    def test_xinjiang_place_strengthens_a_candidate(self) -> None:
        plain = compare(MatchQuery("Zhongtai Chemical Trading"), MatchQuery("Xinjiang Zhongtai Chemical",
                                                                             xinjiang_place=True))
        boosted = compare(MatchQuery("Zhongtai Chemical Trading", xinjiang_place=True),
                          MatchQuery("Xinjiang Zhongtai Chemical", xinjiang_place=True))
        assert plain.features.to_dict()["xinjiang_place"] is False
        assert boosted.features.to_dict()["xinjiang_place"] is True
        assert boosted.score > plain.score

    def test_xinjiang_place_never_makes_a_non_match(self) -> None:
        pair = compare(MatchQuery("Kingherbs Limited", xinjiang_place=True),
                       MatchQuery("Xinjiang Zhongtai Chemical", xinjiang_place=True))
        assert pair.band is None
        assert pair.features.to_dict()["xinjiang_place"] is False

    def test_address_overlap(self) -> None:
        pair = compare(MatchQuery("Hoshine Silicon", address="No. 1 Road, Shanshan County, Turpan"),
                       MatchQuery("Hoshine Silicon Industry (Shanshan) Co., Ltd.", address="Shanshan, Xinjiang"))
        assert pair.features.to_dict()["address_overlap"] == ["shanshan"]


class TestGenericTokenTraps:
    @pytest.mark.parametrize(("query", "listed"), [
        ("Zhongtai Securities Co., Ltd.", "Xinjiang Zhongtai Chemical Co., Ltd."),
        ("Ningbo Shanshan Co., Ltd.", "Hoshine Silicon Industry (Shanshan) Co., Ltd."),
        ("Xinjiang Tianshan Cement Co., Ltd.", "Xinjiang Tianshan Wool Textile Co. Ltd."),
        ("Xinjiang Energy Co., Ltd.", "Xinjiang Nonferrous Metals Industry Group Co., Ltd."),
        ("Tianjin Taida Co., Ltd.", "Hetian Taida Apparel Co., Ltd."),
        ("China Cotton Association", "China Cotton Group Xinjiang Cotton Co."),
    ])
    def test_stay_below_review(self, query: str, listed: str) -> None:
        pair = compare(MatchQuery(query), MatchQuery(listed))
        assert pair.score < REVIEW
        assert pair.band is None

    def test_features_explain_the_trap(self) -> None:
        pair = compare(MatchQuery("Zhongtai Securities Co., Ltd."), MatchQuery("Xinjiang Zhongtai Chemical Co., Ltd."))
        assert pair.features.to_dict()["token_overlap"] == ["zhongtai"]
        assert pair.features.to_dict()["method"] == "token_set"

    @pytest.mark.parametrize(("query", "listed"), [
        ("Hoshine Silicon Industry Co Ltd", "Hoshine Silicon Industry (Shanshan) Co., Ltd."),
        ("HOSHINE SILICON IND SHANSHAN CO LTD", "Hoshine Silicon Industry (Shanshan) Co., Ltd."),
        ("Zhongtai Chemical", "Xinjiang Zhongtai Chemical Co., Ltd."),
        ("Tianshan Wool Textile", "Xinjiang Tianshan Wool Textile Co. Ltd."),
        ("Silicon Industry Hoshine", "Hoshine Silicon Industry Co., Ltd."),
    ])
    def test_true_variants_reach_review(self, query: str, listed: str) -> None:
        assert compare(MatchQuery(query), MatchQuery(listed)).band is not None


class TestFeatures:
    def test_all_required_features_present(self) -> None:
        pair = compare(MatchQuery("Hoshine Silicon Industry"), MatchQuery("Hoshine Silicon Industry Co., Ltd."))
        assert {"name_similarity", "matched_alias", "token_overlap", "legal_form", "country", "address_overlap",
                "xinjiang_place", "query_script", "method"} <= set(pair.features.to_dict())
        assert pair.score == 1.0
        assert pair.band == "strong"

    def test_initialism_is_review_not_strong(self) -> None:
        pair = compare(MatchQuery("XPCC"), MatchQuery("Xinjiang Production and Construction Corps"))
        assert pair.features.to_dict()["method"] == "initialism"
        assert pair.band == "review"

    def test_initialism_needs_a_long_name(self) -> None:
        assert compare(MatchQuery("EG"), MatchQuery("Esquel Group")).band is None


class TestPenalties:
    def test_sector_on_one_side_only_keeps_a_shared_brand_below_review(self) -> None:
        pair = compare(MatchQuery("Zhongtai Securities Co., Ltd."), MatchQuery("Xinjiang Zhongtai Group Co. Ltd."))
        assert pair.band is None

    def test_different_countries_in_parentheses(self) -> None:
        same = compare(MatchQuery("Acme Global Solutions (France) SARL"), MatchQuery("Acme Global Solutions SARL"))
        other = compare(MatchQuery("Acme Global Solutions (France) SARL"),
                        MatchQuery("Acme Global Solutions (Germany) SARL"))
        assert same.band is not None
        assert other.band is None

    def test_different_registration_cities(self) -> None:
        assert compare(MatchQuery("Changzhou Delong Food Ingredients Co., Ltd."),
                       MatchQuery("Changzhou Guanghui Food Ingredients Co., Ltd.")).band is None
        assert compare(MatchQuery("Shanghai Haolin Hair Accessories"),
                       MatchQuery("Hetian Haolin Hair Accessories Co., Ltd.")).band is None

    def test_names_of_only_generic_words(self) -> None:
        assert compare(MatchQuery("China Rare Earth Holdings Limited"),
                       MatchQuery("Rare Earth Magnesium Technology Group Holdings, Ltd.")).band is None


class TestRomanisedChinese:
    def test_u_umlaut_typed_as_v(self) -> None:
        pair = compare(MatchQuery("Baoding Lvye Shuozidao Shangmao Co., Ltd."),
                       MatchQuery("保定市綠葉碩子島商貿有限公司"))
        assert pair.band is not None

    def test_city_suffix_left_out_of_pinyin(self) -> None:
        pair = compare(MatchQuery("Hetian Taida Fuzhuang Co., Ltd."), MatchQuery("和田市泰达服装有限公司"))
        assert pair.band is not None
        assert pair.features.to_dict()["method"] == "pinyin"

    def test_pinyin_sector_words_clash_like_english_ones(self) -> None:
        assert compare(MatchQuery("新疆天山水泥股份有限公司"), MatchQuery("新疆天山毛纺织股份有限公司")).band is None


class TestCountryAndBands:
    def test_exact_name_in_another_country_is_review_not_strong(self) -> None:
        pair = compare(MatchQuery("Huafu Fashion Co., Ltd.", country="US"),
                       MatchQuery("Huafu Fashion Co., Ltd.", country="CN"))
        assert pair.features.to_dict()["name_similarity"] == 1.0
        assert pair.band == "review"


BOUND_PAIRS = [
    ("Hoshine Silicon Industry Co Ltd", "Hoshine Silicon Industry (Shanshan) Co., Ltd."),
    ("Hosh1ne Silicon lndustry", "Hoshine Silicon Industry Co., Ltd."),
    ("Zhong Tai Chemical", "Xinjiang Zhongtai Chemical Co., Ltd."),
    ("Zhongtai Chemical", "Xinjiang Zhong Tai Chemical Co., Ltd."),
    ("XPCC", "Xinjiang Production and Construction Corps"),
    ("Lvye Textile", "Luye Textile Co."),
    ("HSN Prtg Co", "Hoshine Printing Co."),
    ("新疆合盛硅业", "Xinjiang Hesheng Guiye"),
    ("新疆合盛硅业有限公司", "新疆合盛硅业"),
    ("Zijin Kuangye", "Zijin Mining Group"),
    ("Zhongtai Securities Co., Ltd.", "Xinjiang Zhongtai Chemical Co., Ltd."),
    ("Kashgar Meilong Textile", "Kashgar Huayang Textile"),
]


class TestNameBound:
    @pytest.mark.parametrize(("query", "listed"), BOUND_PAIRS)
    def test_never_rules_out_a_reachable_score(self, query: str, listed: str) -> None:
        q, c = compute_forms(query), compute_forms(listed)
        best = best_name_score(q, c)
        similarity = best.similarity if best else 0.0
        assert NameBound(q).may_reach(candidate_facts(c), similarity - 1e-9)

    def test_rules_out_names_sharing_only_generic_words(self) -> None:
        q = compute_forms("Kashgar Meilong Textile Co., Ltd.")
        assert not NameBound(q).may_reach(candidate_facts(compute_forms("Kashgar Huayang Textile Co., Ltd.")), 0.63)

    @pytest.mark.parametrize(("query", "listed"), [
        ("Chen Quan Guo", "CHEN, Quanguo"), ("Quanguo Chen", "CHEN, Quanguo"), ("CHEN, Quangou", "CHEN, Quanguo"),
        ("陈全国", "CHEN, Quanguo"), ("Wang Junzheng", "WANG, Junzheng"), ("Zhu Hailun", "ZHU, Hailun"),
    ])
    def test_person_bound_keeps_reachable_pairs(self, query: str, listed: str) -> None:
        assert person_may_reach(query, listed, person_similarity(query, listed) - 1e-9)

    def test_person_bound_rules_out_another_person(self) -> None:
        assert not person_may_reach("Li Wei", "CHEN, Quanguo", 0.63)


class TestNearNames:
    """A letter apart is not always a misspelling: other pinyin syllables are other characters, another
    province is another registration."""

    @pytest.mark.parametrize(("a", "b"), [
        ("Xinjiang Zhongtai Chemical Co., Ltd.", "Xinjiang Zhongtian Chemical Co., Ltd."),
        ("Dafeng Solar Technology Co., Ltd.", "Daheng Solar Technology Co., Ltd."),
        ("新疆中泰化学股份有限公司", "Xinjiang Zhongtian Chemical Co., Ltd."),
    ])
    def test_other_syllables_reach_review_but_never_strong(self, a: str, b: str) -> None:
        pair = compare(MatchQuery(a), MatchQuery(b))
        assert pair.band == "review"
        assert pair.features.to_dict()["syllable_variant"]

    def test_the_cap_holds_with_place_boosts(self) -> None:
        query = MatchQuery("Xinjiang Zhongtian Chemical Co., Ltd.", address="Urumqi, Xinjiang", xinjiang_place=True)
        entry = MatchQuery("Xinjiang Zhongtai Chemical Co., Ltd.", address="Urumqi, Xinjiang", xinjiang_place=True)
        assert compare(query, entry).band == "review"

    @pytest.mark.parametrize(("a", "b"), [
        ("Hoshin Silicon Industry Co., Ltd.", "Hoshine Silicon Industry Co., Ltd."),  # not pinyin: a typo
        ("Xingjiang Zhongtai Chemical", "Xinjiang Zhongtai Chemical"),  # -ng / -n
        ("Henan Yu Mian Group", "Henan Yumian Group"),  # syllables written apart
        ("Sichun Jingweida Technology Group", "Sichuan Jingweida Technology Group"),  # a misspelt place
    ])
    def test_misspellings_stay_strong(self, a: str, b: str) -> None:
        pair = compare(MatchQuery(a), MatchQuery(b))
        assert pair.band == "strong"
        assert pair.features.to_dict()["syllable_variant"] == []

    @pytest.mark.parametrize(("a", "b"), [
        ("Zhejiang Huali Textile Co., Ltd.", "Jiangsu Huali Textile Co., Ltd."),
        ("Hunan Huali Textile Co., Ltd.", "Henan Huali Textile Co., Ltd."),  # two places, not one misspelt
        ("China Cotton Group Shandong Logistics Park", "China Cotton Group Henan Logistics Park"),
    ])
    def test_another_province_is_another_company(self, a: str, b: str) -> None:
        assert compare(MatchQuery(a), MatchQuery(b)).band is None

    def test_a_province_and_a_city_may_be_one_place(self) -> None:
        pair = compare(MatchQuery("Urumqi Huali Textile Co., Ltd."), MatchQuery("Xinjiang Huali Textile Co., Ltd."))
        assert pair.band is not None

    def test_known_places_are_never_near_spellings(self) -> None:
        assert token_sim("hunan", "henan") == 0.0
        assert token_sim("shanxi", "shaanxi") == 0.0
        assert token_sim("xinjiang", "xingjiang") > 0.8  # not a known place: a misspelling


def test_a_xinjiang_city_and_another_province_clash() -> None:
    assert compare(MatchQuery("Changji Esquel Textile Co., Ltd."),
                   MatchQuery("Guangdong Esquel Textile Co., Ltd.")).band is None
