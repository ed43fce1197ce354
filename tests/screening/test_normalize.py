"""Latin-script normalisation: legal forms, abbreviations, qualifiers, format characters."""

from __future__ import annotations

import pytest

from service.screening.legal_forms import compare_forms
from service.screening.normalize import fold, latin_form, strip_format, tokens_of


class TestFold:
    def test_strips_zero_width_and_format_characters(self) -> None:
        assert strip_format("Hos\u200bhine\u200d Sil\ufefficon\u2060") == "Hoshine Silicon"

    def test_nfkc_fullwidth_and_case(self) -> None:
        assert fold("ＨＯＳＨＩＮＥ　Silicon") == "hoshine silicon"

    def test_accents_and_punctuation(self) -> None:
        assert fold("Ürümqi—Société, Générale!") == "urumqi societe generale"

    def test_dotted_initials_join(self) -> None:
        assert fold("A.B.C. Company") == "abc company"

    def test_cyrillic_is_transliterated(self) -> None:
        assert fold("Газпром") == "gazprom"


class TestLegalForms:
    @pytest.mark.parametrize(("name", "form"), [
        ("Hoshine Silicon Industry Co., Ltd.", "ltd"),
        ("Hoshine Silicon Industry Company Limited", "ltd"),
        ("Acme Limited Liability Company", "llc"),
        ("Acme L.L.C.", "llc"),
        ("Acme GmbH", "gmbh"),
        ("Acme Gesellschaft mit beschränkter Haftung", "gmbh"),
        ("Acme Aktiengesellschaft", "ag"),
        ("OAO Gazprom", "jsc"),
        ("Gazprom Open Joint Stock Company", "jsc"),
        ("Acme Corp.", "corp"),
        ("Acme Incorporated", "inc"),
        ("Acme Sp. z o.o.", "spzoo"),
        ("Acme Societatea cu Răspundere Limitată", "srl"),
        ("NINESTAR CORPROATION", "corp"),
    ])
    def test_reduced_to_canonical_and_kept(self, name: str, form: str) -> None:
        result = latin_form(name)
        assert form in result.legal
        assert result.tokens[0] in {"hoshine", "acme", "gazprom", "ninestar"}

    def test_group_is_an_organisational_form(self) -> None:
        assert latin_form("Camel Group Co., Ltd.").legal == ("group", "ltd")
        assert latin_form("Camel Group Co., Ltd.").tokens == ("camel",)

    def test_name_of_only_legal_words_keeps_its_tokens(self) -> None:
        assert latin_form("Company Limited").tokens == ("company", "limited")

    def test_conflict_between_stock_and_limited(self) -> None:
        assert compare_forms(("ag",), ("gmbh",), han=False) == "conflict"

    def test_chinese_stock_company_agrees_with_co_ltd(self) -> None:
        assert compare_forms(("jsc",), ("ltd",), han=True) == "agree"

    def test_absent_and_generic(self) -> None:
        assert compare_forms((), ("ltd",), han=False) == "absent"
        assert compare_forms(("corp",), ("ltd",), han=False) == "absent"


class TestTokens:
    @pytest.mark.parametrize(("raw", "expected"), [
        ("Ind", "industry"), ("Intl", "international"), ("Tech", "technology"), ("Mfg", "manufacturing"),
        ("Indl", "industrial"), ("Whse", "warehousing"),
    ])
    def test_abbreviations_expand(self, raw: str, expected: str) -> None:
        assert tokens_of(raw) == [expected]

    def test_ocr_digits_inside_words(self) -> None:
        assert tokens_of("Hosh1ne S1licon 2021") == ["hoshine", "silicon", "2021"]

    def test_exonyms_map_to_one_place(self) -> None:
        assert tokens_of("Kashgar Hotan Khotan Ghulja") == ["kashi", "hetian", "hetian", "yining"]

    def test_spelled_numbers_become_digits(self) -> None:
        assert tokens_of("Brigade Forty-Four") == ["brigade", "44"]
        assert tokens_of("Brigade 44") == ["brigade", "44"]

    def test_plural_and_ies(self) -> None:
        assert tokens_of("Textiles Accessories") == ["textile", "accessory"]


class TestQualifiers:
    def test_parenthesised_place_is_a_soft_token(self) -> None:
        form = latin_form("Hoshine Silicon Industry (Shanshan) Co., Ltd.")
        assert form.tokens == ("hoshine", "silicon", "industry", "shanshan")
        assert form.soft == frozenset({"shanshan"})
        assert form.legal == ("ltd",)

    def test_same_tokens_without_parentheses_or_abbreviated(self) -> None:
        assert latin_form("HOSHINE SILICON IND SHANSHAN CO LTD").tokens == (
            "hoshine", "silicon", "industry", "shanshan")

    def test_parenthesised_legal_form(self) -> None:
        form = latin_form("Kashgar Construction Engineering (Group) Co., Ltd.")
        assert form.legal == ("ltd", "group")
        assert "group" not in form.tokens

    def test_initialism_of_a_long_name(self) -> None:
        assert "xpcc" in latin_form("Xinjiang Production and Construction Corps").initials
        assert latin_form("Camel Group").initials == ()


class TestGlued:
    def test_camel_case_legal_word_is_split(self) -> None:
        assert latin_form("CamelGroup").tokens == ("camel",)
        assert latin_form("CamelGroup").legal == ("group",)

    def test_all_caps_brand_is_left_alone(self) -> None:
        assert latin_form("CITIGROUP").tokens == ("citigroup",)

    def test_misspelt_short_legal_word(self) -> None:
        assert latin_form("Esquel Gropu").legal == ("group",)
