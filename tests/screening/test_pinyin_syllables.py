"""Pinyin syllables: the shipped set is pypinyin's, words split into syllables, near-spellings told apart."""

from __future__ import annotations

import pytest
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

from service.screening.pinyin_syllables import SYLLABLES, different_syllables, syllables


def test_the_syllable_set_is_derived_from_pypinyin() -> None:
    derived = {to_normal(reading).replace("ü", "u").replace("v", "u")
               for readings in pinyin_dict.values() for reading in readings.split(",")}
    vowelled = {s for s in derived if s.isascii() and s.isalpha() and any(v in s for v in "aeiou")}
    assert vowelled == SYLLABLES


@pytest.mark.parametrize(("word", "expected"), [
    ("tianshan", ("tian", "shan")), ("zhongtai", ("zhong", "tai")), ("xian", ("xian",)),
    ("hesheng", ("he", "sheng")), ("hoshine", None), ("tiasnhan", None), ("silicon", None),
])
def test_fewest_syllables(word: str, expected: tuple[str, ...] | None) -> None:
    assert syllables(word) == expected


@pytest.mark.parametrize(("a", "b"), [("zhongtai", "zhongtian"), ("dafeng", "daheng"), ("huali", "hualu")])
def test_other_syllables_are_a_different_word(a: str, b: str) -> None:
    assert different_syllables(a, b)
    assert different_syllables(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("xinjiang", "xingjiang"),  # -n / -ng
    ("shenzhen", "shenzen"),  # zh / z
    ("chenguang", "cenguang"),  # ch / c
    ("ashele", "asheele"),  # a doubled letter
    ("hoshine", "hoshin"),  # not pinyin: left to the fuzzy ratio
    ("tianshan", "tiasnhan"),
])
def test_regional_spellings_and_misspellings_are_not(a: str, b: str) -> None:
    assert not different_syllables(a, b)
