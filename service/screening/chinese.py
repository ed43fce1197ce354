"""Chinese-script names: traditional -> simplified, glossary segmentation, pinyin.

A 汉字 name yields two `NameForm`s: a translation (generic words in English, the distinctive part in
pinyin, e.g. 新疆合盛硅业 -> "xinjiang hesheng silicon industry") and a pure pinyin one ("xinjiang
hesheng guiye"), so it meets an English-listed entry as well as a romanised one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import opencc
from pypinyin import Style, lazy_pinyin

from service.screening.glossary import PLACES_HAN, TERMS_HAN
from service.screening.legal_forms import HAN_SUFFIXES
from service.screening.normalize import NameForm, fix_token, strip_format, tokens_of, word_set

_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_GAP: Final = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_PARENS: Final = re.compile(r"\(([^()]*)\)")
_LEXICON: Final[dict[str, str]] = {**TERMS_HAN, **PLACES_HAN}
_MAX_WORD: Final = max(len(k) for k in _LEXICON)
_ADMIN_WORDS: Final = frozenset({"city", "county", "district", "province", "town", "township", "village"})
_T2S: Final = opencc.OpenCC("t2s")


def han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def script_of(text: str) -> str:
    """'han', 'latin' or 'mixed'."""
    han = has_han(text)
    latin = any(ch.isascii() and ch.isalpha() for ch in text)
    return "mixed" if han and latin else ("han" if han else "latin")


@lru_cache(maxsize=16384)
def to_simplified(text: str) -> str:
    return str(_T2S.convert(text))


@lru_cache(maxsize=65536)
def pinyin(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables; ü is written u, as names are romanised in trade documents."""
    return tuple(s.replace("v", "u") for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=False))


def strip_han_legal(core: str) -> tuple[str, list[str]]:
    """Remove legal-form suffixes from the end, repeatedly (集团有限公司 -> group, ltd)."""
    forms: list[str] = []
    stripped = True
    while stripped:
        stripped = False
        for suffix, canon in HAN_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix):
                core, stripped = core[: -len(suffix)], True
                forms.insert(0, canon)
                break
    return core, forms


def segment(text: str) -> list[tuple[str, str | None]]:
    """Greedy longest-match segmentation; each piece with its glossary translation or None."""
    pieces: list[tuple[str, str | None]] = []
    unknown = ""
    i = 0
    while i < len(text):
        for size in range(min(_MAX_WORD, len(text) - i), 0, -1):
            word = text[i:i + size]
            if word in _LEXICON:
                if unknown:
                    pieces.append((unknown, None))
                    unknown = ""
                pieces.append((word, _LEXICON[word]))
                i += size
                break
        else:
            if unknown and bool(_HAN.match(unknown[-1])) != bool(_HAN.match(text[i])):
                pieces.append((unknown, None))  # a Latin run inside a Han name is its own piece
                unknown = ""
            unknown += text[i]
            i += 1
    if unknown:
        pieces.append((unknown, None))
    return pieces


def _tokens(pieces: list[tuple[str, str | None]], *, translate: bool) -> list[str]:
    out: list[str] = []
    for han, english in pieces:
        if not _HAN.search(han):
            out.extend(tokens_of(han))
        elif translate and english is not None:
            out.extend(fix_token(t) for t in english.split() if t != "and")
        elif english in _ADMIN_WORDS:  # 市/县/区 are left out of romanised names
            continue
        else:
            out.append("".join(pinyin(han)))
    return out


@lru_cache(maxsize=16384)
def han_forms(text: str) -> tuple[NameForm, ...]:
    """Translated and pinyin forms of a Chinese-script company name."""
    text = _HAN_GAP.sub("", to_simplified(strip_format(text)))
    soft_raw = "".join(_PARENS.findall(text))
    core, legal = strip_han_legal(_PARENS.sub("", text))
    soft_core, soft_legal = strip_han_legal(soft_raw) if soft_raw else ("", [])
    if soft_raw in {s for s, _ in HAN_SUFFIXES}:
        soft_core, soft_legal = "", [dict(HAN_SUFFIXES)[soft_raw]]
    pieces = segment(core)
    soft_pieces = segment(soft_core) if soft_core else []
    forms = []
    for method, translate in (("glossary_translation", True), ("pinyin", False)):
        soft = _tokens(soft_pieces, translate=translate)
        forms.append(NameForm(
            tokens=tuple(_tokens(pieces, translate=translate) + soft),
            legal=tuple(legal + soft_legal),
            soft=word_set(soft),
            method=method,
            han=core,
        ))
    return tuple(forms)


_NOT_SPLIT: Final = frozenset({"中国", "中华", "维吾尔"})


@lru_cache(maxsize=16384)
def group_tail(text: str) -> str | None:
    """The company's own name inside a Chinese name that puts its group's short name first, then a place,
    then the company (宝武集团新疆八一钢铁有限公司 -> 新疆八一钢铁有限公司): from the first place that follows
    something else, when what follows keeps a distinctive word of its own (not 新疆有色金属, all generic)."""
    simple = _HAN_GAP.sub("", to_simplified(strip_format(text)))
    pos, before = 0, False
    for word, _ in segment(simple):
        if word in PLACES_HAN and word not in _NOT_SPLIT and before:
            tail = simple[pos:]
            core, _ = strip_han_legal(tail)
            if any(e is None and _HAN.search(w) for w, e in segment(core)):
                return tail
            return None
        before = before or (word not in PLACES_HAN and bool(_HAN.search(word)))
        pos += len(word)
    return None


def person_syllables(text: str) -> tuple[str, ...]:
    """Pinyin of a Chinese personal name as surname + joined given name (陈全国 -> chen, quanguo)."""
    syllables = pinyin("".join(_HAN_RUN.findall(to_simplified(strip_format(text)))))
    if len(syllables) < 2:
        return syllables
    return (syllables[0], "".join(syllables[1:]))


def _pinyin_gloss() -> dict[str, str]:
    """Joined pinyin of each generic word of 2+ characters -> its English ("kuangye" -> "mining"), so
    an ERP's romanised Chinese meets an English-listed name. Places are kept only under an exonym."""
    gloss: dict[str, str] = {}
    for han, english in {**PLACES_HAN, **TERMS_HAN}.items():
        romanised = "".join(pinyin(han))
        if len(han) >= 2 and romanised != english:
            gloss.setdefault(romanised, english)
    return gloss


PINYIN_GLOSS: Final[dict[str, str]] = _pinyin_gloss()

