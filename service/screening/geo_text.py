"""Text folding for the gazetteer: Latin text to ASCII keys with their positions in the original, Chinese
to simplified characters, and the stems of place names without their administrative suffixes (市, 县, "shi")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")
_CN_SUFFIXES = ("维吾尔自治区", "柯尔克孜自治州", "回族自治州", "蒙古自治州", "哈萨克自治州", "哈萨克自治县",
                "锡伯自治县", "塔吉克自治县", "蒙古自治县", "回族自治县", "自治州", "自治县", "地区", "矿区",
                "市", "县", "区")
_PINYIN_SUFFIXES = frozenset({"shi", "xian", "qu", "diqu", "zizhizhou", "zizhixian", "zizhiqu", "huizu", "menggu",
                              "hasake", "keerkezi", "xibo", "tajike", "weiwuer"})


def fold_latin(text: str) -> str:
    """Lower-case with diacritics removed: Ürümqi -> urumqi."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character folded to its ASCII letters/digits ("Ü" -> "u", "," -> ""); characters repeat, so cached."""
    return "".join(c for c in fold_latin(ch) if c.isascii() and c.isalnum())


def to_simplified(text: str) -> str:
    # Per character when a phrase conversion changes the length, so offsets stay valid.
    converted = str(_T2S.convert(text))
    return converted if len(converted) == len(text) else "".join(str(_T2S.convert(c)) for c in text)


def ascii_fold(text: str) -> tuple[str, list[int], list[int], list[int]]:
    """ASCII letters/digits only, with original positions and word starts/ends (in compact offsets)."""
    chars: list[str] = []
    positions: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    in_word = False
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if folded:
            if not in_word:
                starts.append(len(chars))
            chars.extend(folded)
            positions.extend([i] * len(folded))
            in_word = True
        elif in_word:
            ends.append(len(chars))
            in_word = False
    if in_word:
        ends.append(len(chars))
    return "".join(chars), positions, starts, ends


def compact_key(text: str) -> str:
    return ascii_fold(text)[0]


def cn_stem(name: str) -> str:
    for suffix in _CN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def pinyin_stem(pinyin: str) -> str:
    words = pinyin.split()
    while len(words) > 1 and fold_latin(words[-1]).replace("'", "") in _PINYIN_SUFFIXES:
        words.pop()
    return " ".join(words)


def latin_words(text: str) -> list[str]:
    return [w.replace("'", "") for w in re.split(r"[^a-z0-9']+", fold_latin(text)) if w.strip("'")]
