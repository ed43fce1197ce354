"""Latin-script name normalisation: Unicode folding, punctuation, abbreviations, legal forms, qualifiers.

A name becomes a `NameForm`: its core tokens, the canonical legal forms found (kept as a feature),
and the tokens of parenthesised qualifiers ("(Shanshan)"), which the scorer weighs like places.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz, process

from service.screening.glossary import PLACE_SYNONYMS
from service.screening.legal_forms import FUZZY_WORDS, GLUED_WORDS, MAX_PHRASE, PHRASES

ABBREVIATIONS: Final[dict[str, str]] = {
    "ind": "industry", "inds": "industry", "indus": "industry", "indust": "industry", "intl": "international",
    "int": "international", "internat": "international", "tech": "technology", "techn": "technology",
    "technol": "technology", "mfg": "manufacturing", "mfr": "manufacturing", "manuf": "manufacturing",
    "hldg": "holding", "hldgs": "holdings", "dev": "development", "devt": "development",
    "mgmt": "management", "mgt": "management", "natl": "national", "assn": "association",
    "svc": "service", "svcs": "services", "elec": "electric", "eng": "engineering", "engg": "engineering",
    "equip": "equipment", "prod": "products", "prods": "products", "chem": "chemical", "pharm": "pharmaceutical",
    "pharma": "pharmaceutical", "imp": "import", "exp": "export", "tex": "textile", "txtl": "textile",
    "matl": "material", "matls": "material", "mats": "material", "biotec": "biotechnology",
    "sci": "science", "univ": "university", "dept": "department", "bur": "bureau", "ctr": "center",
    "st": "saint", "1st": "first", "2nd": "second", "3rd": "third", "bros": "brothers",
    "biotech": "biotechnology", "whse": "warehousing", "whs": "warehousing", "indl": "industrial",
    "info": "information", "semi": "semiconductor", "prtg": "printing", "engy": "energy", "constr": "construction",
    "microelec": "microelectronics", "log": "logistics", "logis": "logistics", "mat": "material",
    "apparels": "apparel", "garments": "garment", "textiles": "textile",
}

# Cyrillic -> Latin (BGN/PCGN-like), so Russian-script names meet their romanisations.
_CYRILLIC: Final = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi", "g"], strict=True,
))
_TRANSLIT: Final = str.maketrans({ord(k): v for k, v in _CYRILLIC.items()})
_OCR: Final = str.maketrans({"0": "o", "1": "i", "5": "s", "9": "g", "$": "s", "|": "l"})
_PARENS: Final = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_INITIALS: Final = re.compile(r"\b(?:[a-z]\.){1,}[a-z]\b\.?")
_NON_WORD: Final = re.compile(r"[^\w]+")
_NO_STEM: Final = frozenset({"corps", "news", "series", "species", "swiss", "wales", "paris", "lyons", "mining"})
_POSSESSIVE: Final = re.compile(r"['’`´]s\b|['’`´]")


# One shared empty set: most names have no qualifier or initialism, and an empty frozenset is 216 bytes each.
NO_WORDS: Final[frozenset[str]] = frozenset()


def word_set(words: Iterable[str]) -> frozenset[str]:
    """A frozenset of words; the shared `NO_WORDS` when there are none."""
    found = frozenset(words)
    return found if found else NO_WORDS


@dataclass(frozen=True, slots=True)
class NameForm:
    """One comparable rendering of a name (a Han name yields a translated and a pinyin one)."""

    tokens: tuple[str, ...]
    legal: tuple[str, ...] = ()
    soft: frozenset[str] = NO_WORDS
    method: str = "token_set"
    han: str = ""  # simplified Han core, for exact comparison of two Chinese names
    initials: tuple[str, ...] = ()  # derived initialisms of long names (a tuple: a fraction of a set's size)

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


def strip_format(text: str) -> str:
    """NFKC, then drop zero-width and other format characters (Unicode category Cf)."""
    if text.isascii():  # no format characters, nothing for NFKC to change: the common, fast case
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def fold(text: str) -> str:
    """Case-fold, strip accents, transliterate Cyrillic, and reduce punctuation to single spaces."""
    text = strip_format(text).casefold()
    if not text.isascii():
        text = text.translate(_TRANSLIT)
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _POSSESSIVE.sub("", text.replace("&", " and ").replace("+", " and "))
    text = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)  # "a.b.c." -> "abc"
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def ocr_fix(tok: str) -> str:
    """Digits read for letters inside a word ("Hosh1ne" -> "hoshine")."""
    if not tok.isalpha() and not tok.isdigit() and any(c.isalpha() for c in tok):
        return tok.translate(_OCR)
    return tok


@lru_cache(maxsize=131072)
def fix_token(tok: str) -> str:
    """OCR digit/letter confusions inside words, simple plurals, abbreviations and place exonyms."""
    tok = ocr_fix(ABBREVIATIONS.get(tok, tok))
    tok = PLACE_SYNONYMS.get(tok, tok)
    if tok in _NO_STEM:
        return tok
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 4 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
        return tok[:-1]
    return tok




@lru_cache(maxsize=65536)
def fuzzy_legal(tok: str) -> str | None:
    """A misspelt long legal word ("Corproation", "Limted") still reads as its legal form."""
    if len(tok) < 5:
        return None
    hit = process.extractOne(tok, FUZZY_WORDS, scorer=fuzz.ratio, score_cutoff=85 if len(tok) > 5 else 80)
    return PHRASES[(hit[0],)] if hit else None


# A legal word glued to a name in CamelCase ("CamelGroup", "AcmeLtd"); all-caps "CITIGROUP" is left alone.
_GLUED: Final = re.compile(rf"(?<=[a-z]{{3}})(?=(?:{'|'.join(GLUED_WORDS)})\b)")


_PHRASE_STARTS: Final = frozenset(k[0] for k in PHRASES)


def split_legal(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal-form phrases (longest first) and return (core tokens, canonical forms)."""
    core: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(tokens):
        sizes = range(min(MAX_PHRASE, len(tokens) - i), 0, -1) if tokens[i] in _PHRASE_STARTS else ()
        for size in sizes:
            canon = PHRASES.get(tuple(tokens[i:i + size]))
            if canon is not None:
                forms.append(canon)
                i += size
                break
        else:
            canon = fuzzy_legal(tokens[i])
            (forms if canon else core).append(canon or tokens[i])
            i += 1
    if not core:  # a name made only of legal words ("Company Limited") keeps them as its tokens
        return tokens, forms
    return core, forms


_STOP: Final = frozenset({"and", "of", "the"})
_INITIALISM_STOP: Final = frozenset({"and", "of", "the", "for", "de", "no"})
# Legal forms that are no part of an acronym; Corp, Company, Group and Corps may be (XPCC).
_NOT_IN_INITIALS: Final = frozenset("ltd limited llc inc incorporated sa nv bv ag gmbh plc jsc pty srl spa ab as oy kk "
                                    "lp llp pte pvt sdn bhd".split())


def initialisms(words: list[str], core: int | None = None) -> tuple[str, ...]:
    """'xinjiang production and construction corps' -> {'xpcc'}; only names of 3+ words besides legal forms
    (`core`, when known): "TBEA Co Ltd" is no "TCL", "Stone Outfitters LLC" no "SOL"."""
    words = [w for w in words if w not in _INITIALISM_STOP]
    while words and words[-1] in _NOT_IN_INITIALS:  # "Atlantic Ship Management LLC" is ASM, not ASML
        words.pop()
    if len(words) < 3 or (core is not None and core < 3):
        return ()
    variants = ("".join([w[0] for w in words]), "".join([w[0] for w in words if not w.isdigit()]))
    return tuple(dict.fromkeys(v for v in variants if len(v) >= 3))


_UNITS: Final = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS: Final = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
                if w != "_"} | {"fourty": 40}


def numbers_to_digits(words: list[str]) -> list[str]:
    """'forty four' / 'forty 4' -> '44', 'three' -> '3', so spelled and written numbers meet."""
    if _NUMBER_WORDS.isdisjoint(words):
        return words
    out: list[str] = []
    for word in words:
        unit = _UNITS.get(word, int(word) if word.isdigit() and len(word) == 1 else None)
        if out and unit is not None and 0 < unit < 10 and out[-1].endswith("0") and out[-1] in _TENS_DIGITS:
            out[-1] = str(int(out[-1]) + unit)
        elif word in _TENS:
            out.append(str(_TENS[word]))
        else:
            out.append(str(_UNITS[word]) if word in _UNITS else word)
    return out


_TENS_DIGITS: Final = frozenset(str(v) for v in _TENS.values())
_SPELLED: Final = {str(i): w for w, i in _UNITS.items() if 0 < i < 10}


def spelled(tok: str) -> str:
    """A one-digit token as its word, for joining tokens ("9" "star" -> "ninestar", the brand Ninestar)."""
    return _SPELLED.get(tok, tok)
_NUMBER_WORDS: Final = frozenset(_UNITS) | frozenset(_TENS)


def tokens_of(text: str) -> list[str]:
    return folded_tokens(fold(text))


def folded_tokens(folded: str) -> list[str]:
    return [fix_token(t) for t in numbers_to_digits(folded.split())]


@lru_cache(maxsize=16384)
def latin_form(text: str) -> NameForm:
    """Normalise a Latin-script company name."""
    soft: list[str] = []
    for inner in _PARENS.findall(text):
        soft.extend(tokens_of(inner))
    outer = fold(_GLUED.sub(" ", _PARENS.sub(" ", text)))
    core, legal = split_legal([t for t in folded_tokens(outer) if t not in _STOP])
    soft_core, soft_legal = split_legal(soft) if soft else ([], [])
    soft_core = [] if soft_core == soft and soft_legal else soft_core
    return NameForm(
        tokens=tuple(core + [t for t in soft_core if t not in core]),
        legal=tuple(legal + soft_legal),
        soft=word_set(t for t in soft_core if t not in core),
        initials=initialisms(outer.split(), len(core)),
    )


_GREATER_CHINA: Final = frozenset({"CN", "HK", "MO"})
_COUNTRIES: Final[dict[str, str]] = {
    "china": "CN", "prc": "CN", "p r c": "CN", "peoples republic of china": "CN", "mainland china": "CN",
    "people republic of china": "CN", "pr china": "CN", "中国": "CN", "中华人民共和国": "CN",
    "hong kong": "HK", "hongkong": "HK", "hong kong sar": "HK", "香港": "HK", "macau": "MO", "macao": "MO",
    "taiwan": "TW", "united states": "US", "usa": "US", "united states of america": "US",
    "vietnam": "VN", "viet nam": "VN", "india": "IN", "bangladesh": "BD", "pakistan": "PK",
    "cambodia": "KH", "indonesia": "ID", "malaysia": "MY", "thailand": "TH", "japan": "JP",
    "south korea": "KR", "korea": "KR", "germany": "DE", "united kingdom": "GB", "uk": "GB",
    "turkey": "TR", "turkiye": "TR", "mexico": "MX", "canada": "CA", "russia": "RU", "singapore": "SG",
}


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 from a code or a common country name; None when unknown."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    key = " ".join(fold(text).split())
    return _COUNTRIES.get(key)


def country_status(a: str | None, b: str | None) -> str:
    """'agree' (Hong Kong and Macau count as China), 'conflict' or 'unknown'."""
    if a is None or b is None:
        return "unknown"
    if a == b or (a in _GREATER_CHINA and b in _GREATER_CHINA):
        return "agree"
    return "conflict"
