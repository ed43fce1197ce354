"""Country values as people write them, read as ISO 3166 alpha-2 (service/countries.py)."""

from __future__ import annotations

import pycountry
import pytest

from service.countries import UnknownCountry, dropped_warning, lookup, to_alpha2

CHINA = ["CN", "cn", " CN ", "CHN", "chn", "China", "CHINA", "china ", "PRC", "P.R.C.", "P R China", "PR China",
         "People's Republic of China", "Peoples Republic of China", "PEOPLE’S REPUBLIC OF CHINA",
         "China, People's Republic of", "Mainland China", "China (Mainland)", "中国", "中國", "中华人民共和国",
         "中華人民共和國", "中国大陆", "中國大陸", "ＣＨＩＮＡ"]


class TestToAlpha2:
    @pytest.mark.parametrize("value", CHINA)
    def test_china_in_every_spelling(self, value: str) -> None:
        assert to_alpha2(value) == "CN"

    @pytest.mark.parametrize(("value", "code"), [
        ("Hong Kong", "HK"), ("HKG", "HK"), ("Hong Kong SAR", "HK"), ("Hong Kong S.A.R.", "HK"),
        ("Hong Kong, China", "HK"), ("香港", "HK"), ("中国香港", "HK"), ("香港特别行政区", "HK"),
        ("Macau", "MO"), ("Macao", "MO"), ("澳门", "MO"), ("澳門", "MO"),
        ("Taiwan", "TW"), ("TWN", "TW"), ("Taiwan, Province of China", "TW"), ("Republic of China", "TW"),
        ("Taiwan (ROC)", "TW"), ("台湾", "TW"), ("台灣", "TW"), ("中華民國", "TW"),
    ])
    def test_hong_kong_macao_and_taiwan_keep_their_own_codes(self, value: str, code: str) -> None:
        assert to_alpha2(value) == code

    @pytest.mark.parametrize(("value", "code"), [
        ("Viet Nam", "VN"), ("Vietnam", "VN"), ("越南", "VN"), ("UK", "GB"), ("United Kingdom", "GB"),
        ("Great Britain", "GB"), ("英国", "GB"), ("英國", "GB"), ("USA", "US"), ("U.S.A.", "US"),
        ("United States of America", "US"), ("美国", "US"), ("美國", "US"), ("Korea, South", "KR"),
        ("South Korea", "KR"), ("Republic of Korea", "KR"), ("韩国", "KR"), ("Korea, North", "KP"),
        ("North Korea", "KP"), ("朝鲜", "KP"), ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"),
        ("Côte d'Ivoire", "CI"), ("Cote d'Ivoire", "CI"), ("The Netherlands", "NL"), ("Bahamas, The", "BS"),
        ("Russia", "RU"), ("俄罗斯", "RU"), ("Iran", "IR"), ("Laos", "LA"), ("Burma", "MM"),
        ("Czech Republic", "CZ"), ("Trinidad & Tobago", "TT"), ("Germany", "DE"), ("德国", "DE"), ("DEU", "DE"),
        ("Kosovo", "XK"), ("XK", "XK"),
    ])
    def test_common_variants(self, value: str, code: str) -> None:
        assert to_alpha2(value) == code

    @pytest.mark.parametrize("value", ["", "   ", None])
    def test_empty_is_none(self, value: str | None) -> None:
        assert to_alpha2(value) is None

    @pytest.mark.parametrize("value", ["XX", "Narnia", "EU", "ZZZ", "Chinaa", "中", "C"])
    def test_unknown_is_refused_with_what_is_accepted(self, value: str) -> None:
        with pytest.raises(UnknownCountry) as raised:
            to_alpha2(value)
        assert str(raised.value) == (
            f"{value!r} is not a country flrisk recognises: give an ISO 3166 alpha-2 or alpha-3 code (CN, CHN) or an "
            "English or Chinese country name (China, People's Republic of China, 中国)")
        assert lookup(value) is None

    def test_ambiguous_is_refused_with_the_choice(self) -> None:
        with pytest.raises(UnknownCountry, match=r"'Korea' names more than one country: give KR \(South Korea\) or "
                                                 r"KP \(North Korea\)"):
            to_alpha2("Korea")

    def test_every_iso_code_and_name_reads_as_its_own_code(self) -> None:
        wrong = [(text, c.alpha_2, to_alpha2(text)) for c in pycountry.countries
                 for text in (c.alpha_2, c.alpha_3, c.name, getattr(c, "official_name", c.name))
                 if to_alpha2(text) != c.alpha_2]
        assert wrong == []


class TestDroppedWarning:
    def test_names_the_place_and_the_value(self) -> None:
        assert dropped_warning("row 4, column '国家'", " Narnia ") == (
            "row 4, column '国家': 'Narnia' is not a recognised country; screened without a country")

    def test_ambiguous_value_names_the_choice(self) -> None:
        assert dropped_warning("/parties/0/country", "Korea") == (
            "/parties/0/country: 'Korea' names more than one country (KR (South Korea) or KP (North Korea)); "
            "screened without a country")
