"""Name similarity of two name forms.

Tokens are weighed by what they say about identity: distinctive tokens (Hoshine, Zhongtai) carry the
score, sector words (Chemical, Textile) count a little but a clash of them is penalised, places and
generic words (Xinjiang, Group, Industry) count little; legal forms are compared apart (matcher.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from service.screening.chinese import PINYIN_GLOSS, han_forms, has_han
from service.screening.glossary import (
    CITY_TOKENS,
    COUNTRY_TOKENS,
    DESCRIPTORS,
    GENERIC,
    PLACE_TOKENS,
    PROVINCE_OF,
)
from service.screening.normalize import NameForm, fix_token, latin_form, spelled, strip_format, tokens_of
from service.screening.pinyin_syllables import different_syllables

W_DISTINCTIVE: Final = 1.0
W_DESCRIPTOR: Final = 0.5
W_PLACE: Final = 0.2
W_GENERIC: Final = 0.1
DESCRIPTOR_CLASH: Final = 0.75  # factor when both names name a sector and no sector is shared
DESCRIPTOR_ALONE: Final = 0.9  # factor when only one name names a sector ("Zhongtai Securities" / "Zhongtai Group")
NOTHING_DISTINCTIVE: Final = 0.8  # factor when only generic, sector and place words are shared
PLACE_CLASH: Final = 0.7  # factor when both names carry different countries or qualifiers
EXACT: Final = 0.97  # near-identical token sets need no further evidence
INITIALISM_SCORE: Final = 0.82  # an acronym alone is review-worthy, never strong by itself
ABBREVIATION_MATCH: Final = 0.85
TOKEN_MATCH: Final = 0.8  # fuzzy token ratio from which two tokens count as the same word
NEAR_MATCH: Final = 0.7  # a nearer miss earns partial credit (OCR, transliteration)
NEAR_CREDIT: Final = 0.5
# A name whose distinctive word only resembles the other's as different pinyin syllables ("Zhongtian" /
# "Zhongtai", "Daheng" / "Dafeng") may be a misspelling or another company: review, never strong (0.88).
SYLLABLE_VARIANT_CAP: Final = 0.85
# Every identifying word of a listed name, in order, inside a longer query ("Hoshine Silicon Industry Shanshan
# Co Ltd Purchasing Office"): at least review at the default thresholds, whatever else the query holds.
CONTAINED: Final = 0.78
MIN_CONTAINED_LETTERS: Final = 6  # short names and acronyms need more than containment ("TBEA", "HY")
MIN_CONTAINED_HAN: Final = 4  # characters of a listed Chinese name found inside a longer one


# Not frozen: built per candidate or per alias pair, and a frozen dataclass's __init__ (object.__setattr__ per
# field) costs twice as much, compiled or not. Nothing changes one after it is made.
@dataclass(slots=True)
class NameScore:
    similarity: float
    method: str
    shared: tuple[str, ...]
    query_form: NameForm
    candidate_form: NameForm
    variant: tuple[str, str] | None = None  # distinctive words that differ in their pinyin syllables
    missing: tuple[str, ...] = ()  # candidate tokens the query does not match
    contained: bool = False  # the candidate's identifying words all appear in the query, in order


def compute_forms(text: str) -> tuple[NameForm, ...]:
    """Every comparable form of a name: the Latin form, plus translated and pinyin forms of Han text."""
    if not has_han(text):
        return _with_gloss(latin_form(text))
    forms = han_forms(text)
    latin = "".join(ch for ch in strip_format(text) if ch.isascii())
    return (*forms, latin_form(latin)) if latin_form(latin).tokens else forms


name_forms = lru_cache(maxsize=16384)(compute_forms)  # queries repeat; list names are precomputed

_NUMBERING: Final = frozenset({"no", "number"})
# Series numerals tell siblings apart only weakly ("Fund XII" / "Fund XIII").
_NUMERALS: Final = frozenset("ii iii iv vi vii viii ix xii xiii xiv xv xvi xx".split())


def _with_gloss(form: NameForm) -> tuple[NameForm, ...]:
    """A romanised Chinese name ("Zijin Kuangye") also gets its translation ("zijin mining")."""
    if not any(t in PINYIN_GLOSS for t in form.tokens):
        return (form,)
    words = [w for t in form.tokens for w in PINYIN_GLOSS.get(t, t).split() if w != "and"]
    return form, NameForm(tuple(fix_token(w) for w in words), form.legal, form.soft, "glossary_translation",
                          initials=form.initials)


@lru_cache(maxsize=65536)
def token_class_weight(token: str) -> float:
    if token in GENERIC or token in _NUMERALS:
        return W_GENERIC
    if token in PLACE_TOKENS:
        return W_PLACE
    if token in DESCRIPTORS:
        return W_DESCRIPTOR
    english = PINYIN_GLOSS.get(token)
    if english is not None:  # pinyin of a generic word ("xinnengyuan"): weighed like a sector word at most
        return max(W_DESCRIPTOR, min(token_class_weight(fix_token(w)) for w in english.split()))
    return W_DISTINCTIVE


def is_distinctive(token: str) -> bool:
    return token_class_weight(token) == W_DISTINCTIVE


def weight(token: str, soft: frozenset[str]) -> float:
    return W_PLACE if token in soft else token_class_weight(token)


@lru_cache(maxsize=65536)  # bounded: query tokens are new all the time
def token_sim(a: str, b: str) -> float:
    """1 for the same word, the fuzzy ratio for a near spelling of a word of 4+ letters, else 0."""
    if a == b:
        return 1.0
    if a in PLACE_TOKENS and b in PLACE_TOKENS:  # two known places ("Hunan" / "Henan") are not one misspelt
        return 0.0
    if a.replace("v", "u") == b.replace("v", "u"):  # pinyin ü typed as v ("Lvye" / "Luye")
        return 0.95
    if min(len(a), len(b)) < 3:
        return 0.0
    if abbreviates(a, b) or abbreviates(b, a):
        return ABBREVIATION_MATCH
    if min(len(a), len(b)) < 4:
        return 0.0
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= TOKEN_MATCH:
        return ratio
    return ratio * NEAR_CREDIT if ratio >= NEAR_MATCH else 0.0


def abbreviates(short: str, word: str) -> bool:
    """`short` abbreviates the generic or sector word `word` ("indl" / "industrial", "prtg" / "printing")."""
    if len(short) >= len(word) or short[0] != word[0] or token_class_weight(word) == W_DISTINCTIVE:
        return False
    rest = iter(word)
    return all(ch in rest for ch in short)


def _joined(tokens: tuple[str, ...], sims: list[float], others: tuple[str, ...], other_sims: list[float]) -> None:
    """Credit a token that equals 2-3 adjacent tokens of the other name ("zhongtai" / "zhong tai")."""
    if len(others) < 2:
        return
    for i, tok in enumerate(tokens):
        if sims[i] >= 0.9 or len(tok) < 4:
            continue
        for start in range(len(others) - 1):
            if spelled(others[start])[0] != tok[0]:
                continue
            for end in (start + 2, start + 3):
                sim = token_sim(tok, "".join(map(spelled, others[start:end]))) if end <= len(others) else 0.0
                if sim >= 0.9:
                    sims[i] = max(sims[i], sim)
                    for j in range(start, end):
                        other_sims[j] = max(other_sims[j], sim)


@lru_cache(maxsize=65536)
def is_descriptor(token: str) -> bool:
    """A sector word, in English or as the pinyin of one ("shuini" = cement)."""
    gloss = PINYIN_GLOSS.get(token)
    return token in DESCRIPTORS or (gloss is not None and any(fix_token(w) in DESCRIPTORS for w in gloss.split()))


@dataclass(slots=True)
class FormInfo:
    """Per-form facts the scorer needs, computed once per form (forms are cached)."""

    weights: tuple[float, ...]
    total: float
    descriptors: tuple[int, ...]  # positions of sector words (not in parentheses)
    placed: tuple[bool, ...]  # token is a country, a city or a parenthesised qualifier
    distinctive: tuple[bool, ...]
    # (position, province) of each token a province can be told for; mostly none: the shared empty tuple
    provinces: tuple[tuple[int, str], ...]


_PLACED: Final = COUNTRY_TOKENS | CITY_TOKENS  # built once: a union per call cost more than the rest of it


def describe_form(form: NameForm) -> FormInfo:
    weights = tuple(weight(t, form.soft) for t in form.tokens)
    places = _PLACED
    return FormInfo(
        weights=weights, total=sum(weights, 0.0),
        descriptors=tuple(i for i, t in enumerate(form.tokens) if is_descriptor(t) and t not in form.soft),
        placed=tuple(t in places or t in form.soft for t in form.tokens),
        distinctive=tuple(is_distinctive(t) for t in form.tokens),
        provinces=tuple((i, PROVINCE_OF[t]) for i, t in enumerate(form.tokens) if t in PROVINCE_OF),
    )


form_info = lru_cache(maxsize=32768)(describe_form)  # bounded: each entry keeps query forms alive


def _factor(ia: FormInfo, ib: FormInfo, rows: list[list[float]], sims_a: list[float], sims_b: list[float]) -> float:
    """Penalties for what the shared tokens do not show: a clash of sectors or places, a sector on one
    side only, or nothing distinctive in common."""
    factor = 1.0
    own, theirs = ia.descriptors, ib.descriptors
    if own and theirs and all(rows[i][j] < TOKEN_MATCH for i in own for j in theirs):
        factor *= DESCRIPTOR_CLASH
    elif bool(own) != bool(theirs) and any(s < TOKEN_MATCH for s in (sims_a if own else sims_b)):
        factor *= DESCRIPTOR_ALONE
    # Places clash city against city, or in different provinces ("Zhejiang Huali" / "Jiangsu Huali", "Changji
    # Esquel" / "Guangdong Esquel"); a province and a city in it are one place ("Xinjiang X" / "Urumqi X").
    if (_unmatched(ia.placed, sims_a) and _unmatched(ib.placed, sims_b)) or other_provinces(
            unmatched_provinces(ia, sims_a), unmatched_provinces(ib, sims_b)):
        factor *= PLACE_CLASH
    if not any(d and s >= TOKEN_MATCH for d, s in zip(ia.distinctive, sims_a, strict=True)):
        factor *= NOTHING_DISTINCTIVE
    return factor


def unmatched_provinces(info: FormInfo, sims: list[float]) -> frozenset[str]:
    return frozenset(province for i, province in info.provinces if sims[i] < TOKEN_MATCH)


def other_provinces(a: Collection[str], b: Collection[str]) -> bool:
    """Both sides name a province and they share none."""
    return bool(a) and bool(b) and set(a).isdisjoint(b)


def _unmatched(placed: tuple[bool, ...], sims: list[float]) -> bool:
    return any(p and s < TOKEN_MATCH for p, s in zip(placed, sims, strict=True))


def _borrowed(own: tuple[float, ...], other: tuple[float, ...], rows: list[list[float]] | list[tuple[float, ...]]
              ) -> list[float]:
    """A misspelt word weighs what the word it resembles weighs ("Zimc" counts like "Zinc", not like a name)."""
    out = list(own)
    for i, row in enumerate(rows):
        best = max(row)
        if NEAR_MATCH * NEAR_CREDIT <= best < 1.0:  # equal words weigh the same anyway
            out[i] = min(out[i], other[row.index(best)])
    return out


def _syllable_variant(a: tuple[str, ...], sims: list[float], ia: FormInfo, b: tuple[str, ...], ib: FormInfo,
                      rows: list[list[float]]) -> tuple[str, str] | None:
    """The first distinctive word of `a` matched only by a distinctive near-spelling of other syllables in `b`
    (a word matched whole by joined tokens, "yu mian" / "yumian", is matched exactly)."""
    for i, row in enumerate(rows):
        if ia.distinctive[i] and TOKEN_MATCH <= sims[i] < 1.0:
            j = row.index(max(row))
            if ib.distinctive[j] and different_syllables(a[i], b[j]):
                return a[i], b[j]
    return None


Similarity = tuple[float, tuple[str, ...], tuple[str, str] | None, tuple[str, ...]]


def form_similarity(a: NameForm, b: NameForm) -> Similarity:
    """Weighted soft token-set similarity of two forms, the tokens they share, a syllable variant, and the
    tokens of `b` that nothing in `a` matches."""
    if not a.tokens or not b.tokens:
        return 0.0, (), None, b.tokens
    if a.tokens == b.tokens:
        return 1.0, a.tokens, None, ()
    rows = [[token_sim(t, u) for u in b.tokens] for t in a.tokens]
    sims_a = [max(row) for row in rows]
    sims_b = [max(col) for col in zip(*rows, strict=True)]
    if min(sims_a) < 0.9 or min(sims_b) < 0.9:
        _joined(a.tokens, sims_a, b.tokens, sims_b)
        _joined(b.tokens, sims_b, a.tokens, sims_a)
    ia, ib = form_info(a), form_info(b)
    wa, wb = _borrowed(ia.weights, ib.weights, rows), _borrowed(ib.weights, ia.weights, list(zip(*rows, strict=True)))
    matched = (sum((w * s for w, s in zip(wa, sims_a, strict=True)), 0.0)
               + sum((w * s for w, s in zip(wb, sims_b, strict=True)), 0.0))
    sim = matched / (sum(wa, 0.0) + sum(wb, 0.0))
    if sim < EXACT:
        sim *= _factor(ia, ib, rows, sims_a, sims_b)
    shared = tuple(t for t, s in zip(a.tokens, sims_a, strict=True) if s >= TOKEN_MATCH)
    missing = tuple(t for t, s in zip(b.tokens, sims_b, strict=True) if s < TOKEN_MATCH)
    return sim, shared, _syllable_variant(a.tokens, sims_a, ia, b.tokens, ib, rows), missing


def core_token(form: NameForm) -> str | None:
    """A name's only token of 3+ letters besides places, generic words and numbers: a possible acronym."""
    core = [t for t in form.tokens if t not in PLACE_TOKENS and t not in GENERIC and not t.isdigit()]
    return core[0] if len(core) == 1 and len(core[0]) >= 3 else None


def initialism(a: NameForm, b: NameForm) -> bool:
    """`a` is an acronym of the long name `b` (XPCC), or the acronym `b` gives in parentheses; `a` holds nothing
    else but places ("TCL Technology" is no acronym of "Trigron Cargo Logistics")."""
    core = core_token(a)
    if core is None or any(t != core and t not in PLACE_TOKENS and t not in _NUMBERING and not t.isdigit()
                           for t in a.tokens):
        return False
    return (core in b.initials or (core in b.soft and _acronym_of(core, b)))


def _acronym_of(core: str, b: NameForm) -> bool:
    """`core` is the one word in parentheses of a long name and spells its initials: "(VSETC)", not "(Islands)"."""
    rest = [t for t in b.tokens if t not in b.soft]
    letters = iter("".join(t[0] for t in rest))
    return len(b.soft) == 1 and len(rest) >= 3 and all(ch in letters for ch in core)


def best_name_score(query: Iterable[NameForm], candidate: Iterable[NameForm]) -> NameScore | None:
    best: NameScore | None = None
    cand = tuple(candidate)
    for qf in query:
        for cf in cand:
            if qf.han and cf.han and qf.han != cf.han and qf.method != cf.method:
                continue  # two Chinese names: translation meets translation, pinyin meets pinyin
            score = _pair_score(qf, cf)
            if best is None or score.similarity > best.similarity:
                best = score
                if score.similarity >= 1.0:
                    return best
    return best


def _pair_score(qf: NameForm, cf: NameForm) -> NameScore:
    if qf.han and qf.han == cf.han:
        return NameScore(1.0, "han", qf.tokens, qf, cf)
    sim, shared, variant, missing = form_similarity(qf, cf)
    method = qf.method if qf.method != "token_set" else cf.method
    if sim < CONTAINED and contains(qf, cf):
        return NameScore(CONTAINED, "containment", shared, qf, cf, variant, missing, True)
    if sim < INITIALISM_SCORE and (initialism(qf, cf) or initialism(cf, qf)):
        return NameScore(INITIALISM_SCORE, "initialism", shared, qf, cf, missing=missing)
    return NameScore(sim, method, shared, qf, cf, variant, missing)


@lru_cache(maxsize=32768)
def required_tokens(form: NameForm) -> tuple[str, ...]:
    """The words a query must hold, in order, to contain this listed name: its distinctive and sector words,
    and its other non-place words too when it has only one of them. Empty when that is too little evidence:
    a single word (a brand shared by many companies: "Zhongtai"), or under MIN_CONTAINED_LETTERS letters."""
    need = [t for t in form.tokens if t not in form.soft and token_class_weight(t) >= W_DESCRIPTOR]
    if len(need) < 2 or not any(map(is_distinctive, need)) or sum(map(len, need)) < MIN_CONTAINED_LETTERS:
        return ()
    return tuple(need)


def contains(qf: NameForm, cf: NameForm) -> bool:
    """Every identifying word of the listed form `cf` appears in the query form, in order; or the listed
    Chinese name (4+ characters) inside the query's."""
    if qf.han and cf.han:
        return len(cf.han) >= MIN_CONTAINED_HAN and cf.han in qf.han
    need = required_tokens(cf)
    if not need or len(qf.tokens) <= len(need):
        return False
    rest = iter(qf.tokens)
    return all(t in rest for t in need) and not _places_clash(qf, cf)


def _places_clash(qf: NameForm, cf: NameForm) -> bool:
    """Each name carries a place (or a qualifier, or a province) the other lacks: "Bowne Global Solutions
    (France)" does not contain "Bowne Global Solutions (Germany)"."""
    ia, ib = form_info(qf), form_info(cf)
    own = {t for t, p in zip(qf.tokens, ia.placed, strict=True) if p} | {p for _, p in ia.provinces}
    theirs = {t for t, p in zip(cf.tokens, ib.placed, strict=True) if p} | {p for _, p in ib.provinces}
    return bool(own - theirs) and bool(theirs - own)


@lru_cache(maxsize=16384)
def place_tokens(text: str) -> frozenset[str]:
    """Tokens of an address that can name a place (generic address words dropped)."""
    words = tokens_of(text) if not has_han(text) else [t for f in han_forms(text) for t in f.tokens]
    return frozenset(t for t in words if t not in GENERIC and not t.isdigit() and len(t) > 2)
