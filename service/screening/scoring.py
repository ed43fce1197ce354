"""Name similarity and the score adjustments, each explained as a feature.

Tokens are weighed by what they say about identity: distinctive tokens (Hoshine, Zhongtai) carry the
score, sector words (Chemical, Textile) count a little but a clash of them is penalised, places and
generic words (Xinjiang, Group, Industry) count little, and legal forms are compared separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from service.screening.chinese import PINYIN_GLOSS, han_forms, has_han
from service.screening.glossary import CITY_TOKENS, COUNTRY_TOKENS, DESCRIPTORS, GENERIC, PLACE_TOKENS
from service.screening.legal_forms import compare_forms
from service.screening.normalize import NameForm, country_status, fix_token, latin_form, strip_format, tokens_of
from service.screening.person_names import person_similarity, person_tokens

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


@dataclass(frozen=True, slots=True)
class NameScore:
    similarity: float
    method: str
    shared: tuple[str, ...]
    query_form: NameForm
    candidate_form: NameForm


@lru_cache(maxsize=65536)
def name_forms(text: str) -> tuple[NameForm, ...]:
    """Every comparable form of a name: the Latin form, plus translated and pinyin forms of Han text."""
    if not has_han(text):
        return _with_gloss(latin_form(text))
    forms = han_forms(text)
    latin = "".join(ch for ch in strip_format(text) if ch.isascii())
    return (*forms, latin_form(latin)) if latin_form(latin).tokens else forms


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


@lru_cache(maxsize=262144)
def token_sim(a: str, b: str) -> float:
    """1 for the same word, the fuzzy ratio for a near spelling of a word of 4+ letters, else 0."""
    if a == b:
        return 1.0
    if a.replace("v", "u") == b.replace("v", "u"):  # pinyin ü typed as v ("Lvye" / "Luye")
        return 0.95
    if min(len(a), len(b)) < 3:
        return 0.0
    if _abbreviates(a, b) or _abbreviates(b, a):
        return ABBREVIATION_MATCH
    if min(len(a), len(b)) < 4:
        return 0.0
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= TOKEN_MATCH:
        return ratio
    return ratio * NEAR_CREDIT if ratio >= NEAR_MATCH else 0.0


def _abbreviates(short: str, word: str) -> bool:
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
            if others[start][0] != tok[0]:
                continue
            for end in (start + 2, start + 3):
                sim = token_sim(tok, "".join(others[start:end])) if end <= len(others) else 0.0
                if sim >= 0.9:
                    sims[i] = max(sims[i], sim)
                    for j in range(start, end):
                        other_sims[j] = max(other_sims[j], sim)


@lru_cache(maxsize=65536)
def is_descriptor(token: str) -> bool:
    """A sector word, in English or as the pinyin of one ("shuini" = cement)."""
    gloss = PINYIN_GLOSS.get(token)
    return token in DESCRIPTORS or (gloss is not None and any(fix_token(w) in DESCRIPTORS for w in gloss.split()))


@dataclass(frozen=True, slots=True)
class FormInfo:
    """Per-form facts the scorer needs, computed once per form (forms are cached)."""

    weights: tuple[float, ...]
    total: float
    descriptors: tuple[int, ...]  # positions of sector words (not in parentheses)
    placed: tuple[bool, ...]  # token is a country, a city or a parenthesised qualifier
    distinctive: tuple[bool, ...]


@lru_cache(maxsize=131072)
def form_info(form: NameForm) -> FormInfo:
    weights = tuple(weight(t, form.soft) for t in form.tokens)
    places = COUNTRY_TOKENS | CITY_TOKENS
    return FormInfo(
        weights=weights, total=sum(weights),
        descriptors=tuple(i for i, t in enumerate(form.tokens) if is_descriptor(t) and t not in form.soft),
        placed=tuple(t in places or t in form.soft for t in form.tokens),
        distinctive=tuple(is_distinctive(t) for t in form.tokens),
    )


def _factor(ia: FormInfo, ib: FormInfo, rows: list[list[float]], sims_a: list[float], sims_b: list[float]) -> float:
    """Penalties for what the shared tokens do not show: a clash of sectors or places, a sector on one
    side only, or nothing distinctive in common."""
    factor = 1.0
    own, theirs = ia.descriptors, ib.descriptors
    if own and theirs and all(rows[i][j] < TOKEN_MATCH for i in own for j in theirs):
        factor *= DESCRIPTOR_CLASH
    elif bool(own) != bool(theirs) and any(s < TOKEN_MATCH for s in (sims_a if own else sims_b)):
        factor *= DESCRIPTOR_ALONE
    if _unmatched(ia.placed, sims_a) and _unmatched(ib.placed, sims_b):
        factor *= PLACE_CLASH
    if not any(d and s >= TOKEN_MATCH for d, s in zip(ia.distinctive, sims_a, strict=True)):
        factor *= NOTHING_DISTINCTIVE
    return factor


def _unmatched(placed: tuple[bool, ...], sims: list[float]) -> bool:
    return any(p and s < TOKEN_MATCH for p, s in zip(placed, sims, strict=True))


def form_similarity(a: NameForm, b: NameForm) -> tuple[float, tuple[str, ...]]:
    """Weighted soft token-set similarity of two forms, and the tokens they share."""
    if not a.tokens or not b.tokens:
        return 0.0, ()
    if a.tokens == b.tokens:
        return 1.0, a.tokens
    rows = [[token_sim(t, u) for u in b.tokens] for t in a.tokens]
    sims_a = [max(row) for row in rows]
    sims_b = [max(col) for col in zip(*rows, strict=True)]
    _joined(a.tokens, sims_a, b.tokens, sims_b)
    _joined(b.tokens, sims_b, a.tokens, sims_a)
    ia, ib = form_info(a), form_info(b)
    matched = sum(w * s for w, s in zip(ia.weights, sims_a, strict=True)) + sum(
        w * s for w, s in zip(ib.weights, sims_b, strict=True))
    sim = matched / (ia.total + ib.total)
    if sim < EXACT:
        sim *= _factor(ia, ib, rows, sims_a, sims_b)
    shared = tuple(t for t, s in zip(a.tokens, sims_a, strict=True) if s >= TOKEN_MATCH)
    return sim, shared


def _initialism(a: NameForm, b: NameForm) -> bool:
    """`a` is an acronym of the long name `b` (XPCC), or the acronym `b` gives in parentheses."""
    core = [t for t in a.tokens if t not in PLACE_TOKENS and t not in GENERIC and not t.isdigit()]
    return len(core) == 1 and len(core[0]) >= 3 and (core[0] in b.initials or (
        core[0] in b.soft and len(b.tokens) >= 3))


def best_name_score(query: Iterable[NameForm], candidate: Iterable[NameForm]) -> NameScore | None:
    best: NameScore | None = None
    cand = tuple(candidate)
    for qf in query:
        for cf in cand:
            score = _pair_score(qf, cf)
            if best is None or score.similarity > best.similarity:
                best = score
    return best


def _pair_score(qf: NameForm, cf: NameForm) -> NameScore:
    if qf.han and qf.han == cf.han:
        return NameScore(1.0, "han", qf.tokens, qf, cf)
    sim, shared = form_similarity(qf, cf)
    method = qf.method if qf.method != "token_set" else cf.method
    if sim < INITIALISM_SCORE and (_initialism(qf, cf) or _initialism(cf, qf)):
        return NameScore(INITIALISM_SCORE, "initialism", shared, qf, cf)
    return NameScore(sim, method, shared, qf, cf)


@lru_cache(maxsize=16384)
def place_tokens(text: str) -> frozenset[str]:
    """Tokens of an address that can name a place (generic address words dropped)."""
    words = tokens_of(text) if not has_han(text) else [t for f in han_forms(text) for t in f.tokens]
    return frozenset(t for t in words if t not in GENERIC and not t.isdigit() and len(t) > 2)


# --- party level: name similarity plus explained adjustments -------------------------------------

LEGAL_CONFLICT: Final = 0.08
COUNTRY_CONFLICT: Final = 0.12
TYPE_CONFLICT: Final = 0.35  # a company is not the listed person of the same name
ADDRESS_BOOST: Final = 0.03
XINJIANG_BOOST: Final = 0.04
BOOST_FLOOR: Final = 0.55  # context only strengthens a name that already resembles the candidate

@dataclass(frozen=True, slots=True)
class Party:
    names: tuple[str, ...]
    entity_type: str  # "company" or "person"
    typed: bool  # the type was given (list entry, or caller), not guessed
    country: str | None
    places: frozenset[str]
    xinjiang: bool


@dataclass(frozen=True, slots=True)
class PartyScore:
    score: float
    matched_alias: str
    features: dict[str, object]


def _kind(q: Party, c: Party) -> str:
    if c.typed:
        return c.entity_type
    if q.typed:
        return q.entity_type
    return "person" if q.entity_type == c.entity_type == "person" else "company"


def _person_names(q: Party, c: Party) -> tuple[float, str, dict[str, object]]:
    best, alias = 0.0, c.names[0]
    shared: tuple[str, ...] = ()
    for cname in c.names:
        for qname in q.names:
            sim = person_similarity(qname, cname)
            if sim > best:
                best, alias = sim, cname
                shared = tuple(sorted(set(person_tokens(qname)) & set(person_tokens(cname))))
    return best, alias, {"method": "person_name", "token_overlap": list(shared),
                         "legal_form": {"status": "absent", "query": [], "candidate": []}}


def _key(score: NameScore) -> tuple[float, bool]:
    return score.similarity, score.method == "han"  # on a tie, show the alias in the query's own script


def _company_names(q: Party, c: Party) -> tuple[float, str, dict[str, object]]:
    qforms = tuple(f for n in q.names for f in name_forms(n))
    best: NameScore | None = None
    alias = c.names[0]
    for cname in c.names:
        score = best_name_score(qforms, name_forms(cname))
        if score is not None and (best is None or _key(score) > _key(best)):
            best, alias = score, cname
    if best is None:
        return 0.0, alias, {"method": "token_set", "token_overlap": [],
                            "legal_form": {"status": "absent", "query": [], "candidate": []}}
    qf, cf = best.query_form, best.candidate_form
    status = compare_forms(qf.legal, cf.legal, han=bool(qf.han or cf.han))
    legal = {"status": status, "query": list(qf.legal), "candidate": list(cf.legal)}
    return best.similarity, alias, {"method": best.method, "token_overlap": list(best.shared), "legal_form": legal}


def score_parties(q: Party, c: Party) -> PartyScore:
    """Name similarity of the best alias pair, then the legal-form, type, country and place adjustments."""
    kind = _kind(q, c)
    sim, alias, features = (_person_names if kind == "person" else _company_names)(q, c)
    adjust = 0.0
    legal = features["legal_form"]
    if isinstance(legal, dict) and legal["status"] == "conflict":
        adjust -= LEGAL_CONFLICT
    type_conflict = q.typed and c.typed and q.entity_type != c.entity_type
    adjust -= TYPE_CONFLICT if type_conflict else 0.0
    country = country_status(q.country, c.country)
    adjust -= COUNTRY_CONFLICT if country == "conflict" else 0.0
    overlap = sorted(q.places & c.places)
    adjust += ADDRESS_BOOST if overlap and sim >= BOOST_FLOOR else 0.0
    xinjiang = q.xinjiang and c.xinjiang and sim >= BOOST_FLOOR
    adjust += XINJIANG_BOOST if xinjiang else 0.0
    score = round(min(1.0, max(0.0, sim + adjust)), 4)
    features.update({
        "name_similarity": round(sim, 4), "matched_alias": alias, "country": country,
        "address_overlap": overlap, "xinjiang_place": xinjiang, "entity_type_conflict": type_conflict,
    })
    return PartyScore(score, alias, features)
