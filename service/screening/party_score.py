"""Scoring one party against another: the best alias pair, then small, explained adjustments.

Name similarity comes from `scoring` (companies) or `person_names`; here it is capped where the names alone
cannot tell the listed party from a relative (a missing place or division, a single shared word with a vessel
or a one-word alias), then adjusted for legal form, entity type, country, address and Xinjiang place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from rapidfuzz.distance import OSA

from service.screening.features import LegalForms, MatchFeatures, NameFeatures
from service.screening.glossary import COUNTRY_TOKENS, PROVINCE_OF
from service.screening.legal_forms import PHRASES, compare_forms
from service.screening.normalize import NameForm, country_status, spelled
from service.screening.person_names import person_similarity, person_tokens, shared_parts
from service.screening.pinyin_syllables import syllables
from service.screening.scoring import (
    PLACE_CLASH,
    SYLLABLE_VARIANT_CAP,
    W_DESCRIPTOR,
    W_GENERIC,
    NameScore,
    best_name_score,
    form_info,
    is_distinctive,
    other_provinces,
    token_class_weight,
)

# Adjustments are small next to name similarity: context confirms or weakens a name match, never makes one.
LEGAL_CONFLICT: Final = 0.08  # AG vs GmbH; mild, as Chinese firms' English legal forms vary
COUNTRY_CONFLICT: Final = 0.15  # a non-CN/HK party against a CN entry
TYPE_CONFLICT: Final = 0.35  # a company is not the listed person of the same name
ADDRESS_BOOST: Final = 0.03
XINJIANG_BOOST: Final = 0.04
BOOST_FLOOR: Final = 0.55  # context only strengthens a name that already resembles the candidate
ROUNDING: Final = 1e-4  # scores are rounded to 4 decimals: 0.69995 is shown, and banded, as 0.7
# The listed name carries a place, a division or a brand word the query lacks ("Xinjiang Daqo New Energy" /
# "Daqo New Energy Corp"): the query may be the parent or a sister, so review at most, never strong (0.88).
QUALIFIER_CAP: Final = 0.85
# One shared word is no match between a company name and a vessel, a person or a one-word alias with
# other words around it ("Crystal Paints BV" / vessel CRYSTAL): under review (0.70).
ONE_WORD_CAP: Final = 0.6
SHORT_WORD: Final = 6
LEGAL_WORDS: Final = frozenset(k[0] for k in PHRASES if len(k) == 1)
# Letters OCR and typists confuse; "Bayer" / "Bajer" or "Tesco" / "Teaco" are other names, "Camei" / "Camel" not.
_CONFUSABLE: Final = frozenset(pair for p in ("il", "lt", "uv", "mn", "ce", "oq", "ij", "ao", "ea")
                               for pair in (p, p[::-1]))
_GREATER_CHINA: Final = frozenset({"CN", "HK", "MO"})
NATIONS: Final = COUNTRY_TOKENS - {"asia", "europe", "africa", "america", "hong", "kong", "london", "paris", "tokyo",
                                   "dubai"}


@dataclass(frozen=True, slots=True)
class Party:
    names: tuple[str, ...]
    forms: tuple[tuple[NameForm, ...], ...]  # comparable forms of each name, computed once
    entity_type: str  # "company" or "person"
    typed: bool  # the type was given (list entry, or caller), not guessed
    country: str | None
    places: frozenset[str]
    xinjiang: bool
    provinces: tuple[str, ...] = ()  # a list entry's provinces, from all its names
    vessel: bool = False  # a listed vessel: scored as a name, but one shared word is not enough
    countries: tuple[str, ...] = ()  # country words in a list entry's names ("... Company of Iran")

    @property
    def all_forms(self) -> tuple[NameForm, ...]:
        return tuple(f for forms in self.forms for f in forms)


# Not frozen: built per candidate or per alias pair, and a frozen dataclass's __init__ (object.__setattr__ per
# field) costs twice as much, compiled or not. Nothing changes one after it is made.
@dataclass(slots=True)
class PartyScore:
    score: float
    matched_alias: str
    features: MatchFeatures


def kind_of(q: Party, c: Party) -> str:
    if c.typed:
        return c.entity_type
    if q.typed:
        return q.entity_type
    return "person" if q.entity_type == c.entity_type == "person" else "company"


def _person_names(q: Party, c: Party) -> tuple[float, str, NameFeatures]:
    best, alias = 0.0, c.names[0]
    shared: tuple[str, ...] = ()
    for cname in c.names:
        for qname in q.names:
            sim = person_similarity(qname, cname)
            if sim > max(best, ONE_WORD_CAP) and q.entity_type != "person" and (
                    shared_parts(qname, cname) < min(2, len(person_tokens(qname)))):
                sim = ONE_WORD_CAP  # a company sharing one word with a listed person
            if sim > best:
                best, alias = sim, cname
                shared = tuple(sorted(set(person_tokens(qname)) & set(person_tokens(cname))))
    return best, alias, NameFeatures("person_name", shared)


def _key(score: float, method: str) -> tuple[float, bool]:
    return score, method == "han"  # on a tie, show the alias in the query's own script


def _company_names(q: Party, c: Party) -> tuple[float, str, NameFeatures]:
    qforms = q.all_forms
    best: NameScore | None = None
    alias, sim = c.names[0], 0.0
    missing: tuple[str, ...] = ()
    for cname, cforms in zip(c.names, c.forms, strict=True):
        score = best_name_score(qforms, cforms)
        if score is None:
            continue
        this, lacking = _capped(score, q, c)
        if best is None or _key(this, score.method) > _key(sim, best.method):
            best, alias, sim, missing = score, cname, this, lacking
            if this >= 1.0 and score.method == "han":
                break
    if best is None:
        return 0.0, alias, NameFeatures("token_set")
    qf, cf = best.query_form, best.candidate_form
    chinese = q.country in _GREATER_CHINA or c.country in _GREATER_CHINA
    status = compare_forms(qf.legal, cf.legal, han=bool(qf.han or cf.han) or chinese)
    legal = LegalForms(status, qf.legal, cf.legal)
    return sim, alias, NameFeatures(best.method, best.shared, legal, best.variant or (), missing)


def _capped(score: NameScore, q: Party, c: Party) -> tuple[float, tuple[str, ...]]:
    """The alias pair's similarity after the province clash and the caps, and the qualifiers the query lacks."""
    qf, cf = score.query_form, score.candidate_form
    near = _near_anchor(score)
    clash = (_other_province(qf, cf, c) or (near and other_provinces(_provinces(q.places), c.provinces))
             or _other_country(qf, cf, c))
    sim = score.similarity * (PLACE_CLASH if clash else 1.0)
    if score.method == "initialism" and (c.vessel or q.vessel):
        return 0.0, ()  # an acronym names an organisation, never a ship
    if sim > ONE_WORD_CAP and (_one_word(score, c) or (near and _weak(score))):
        return ONE_WORD_CAP, ()
    if sim <= QUALIFIER_CAP:
        return sim, ()
    lacking = missing_qualifiers(score, q)
    return (QUALIFIER_CAP, lacking) if lacking else (sim, ())


def _one_word(score: NameScore, c: Party) -> bool:
    """The match rests on one shared word next to other identifying words: a vessel met by a longer or a
    company name, or a one-word alias inside a longer name ("Crystal Paints" / "CRYSTAL")."""
    qf, cf = score.query_form, score.candidate_form
    if qf.tokens == cf.tokens or score.method in {"han", "initialism"}:
        return False
    if c.vessel and (qf.legal or (len(score.shared) < 2 and len(qf.tokens) > len(score.shared))):
        return True  # a name with a legal form is a company's, never a ship's (unless the same words)
    return len(cf.tokens) == 1 and any(token_class_weight(t) >= W_DESCRIPTOR for t in qf.tokens
                                       if t not in score.shared)


def _other_country(qf: NameForm, cf: NameForm, c: Party) -> bool:
    """The query names a country the entry's names do not, and the matched alias names none ("China National
    Nuclear Power" against an alias of "Nuclear Power ... Company of Iran")."""
    if not c.countries or any(t in NATIONS for t in cf.tokens):
        return False
    own = {t for t in qf.tokens if t in NATIONS}
    return bool(own) and own.isdisjoint(c.countries)


def _near_anchor(score: NameScore) -> bool:
    """The names share distinctive words only as near spellings ("Jinchuan" / "Jinchuang", "Goen" / "Golden"),
    not as the same word (a word written apart, "Zhong Tai" / "Zhongtai" or "Nine Star" / "Ninestar", is the
    same word)."""
    cand = score.candidate_form.tokens
    shared = {spelled(t) for t in score.shared}
    found = [spelled(t) for t in score.shared if is_distinctive(t)]

    def same(t: str) -> bool:
        return t in cand or any(u.startswith(t) and u[len(t):] in shared or u.endswith(t) and u[:-len(t)] in shared
                                for u in cand)
    return bool(found) and score.method not in {"han", "initialism", "containment"} and not any(map(same, found))


def _weak(score: NameScore) -> bool:
    """A near-spelt brand that is no evidence by itself: another pinyin syllable in a two-character brand with no
    sector word shared ("Meide" / "Meike Co."); a one-word name met by more than a typo ("Xiaomi" / "IAMI");
    a short brand (6 letters or less) with other identifying words of the listed name missing ("Golden
    Energy" / "Xinjiang Goens Energy Technology")."""
    two_syllables = score.variant is not None and len(syllables(score.variant[0]) or ()) <= 2
    alone = sum(token_class_weight(t) >= W_DESCRIPTOR for t in score.shared) == 1  # nothing else in common
    if two_syllables and alone:
        return True
    cand = score.candidate_form.tokens
    if len(cand) == 1:
        return min(_slips(t, cand[0]) for t in score.shared) > 0
    if any(len(t) > SHORT_WORD for t in score.shared if is_distinctive(t)):
        return False
    return any(token_class_weight(t) > W_GENERIC for t in score.missing)


def _slips(a: str, b: str) -> int:
    """Edits beyond what a typo makes (a swap of two letters is one): one in a word of up to 8 letters, two in
    a longer one."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and long[len(short):].removeprefix("s") in LEGAL_WORDS:
        return 0  # a legal form glued on ("SiemensAG")
    edits = OSA.distance(a, b)
    differ = [x + y for x, y in zip(a, b, strict=False) if x != y]
    if edits == 1 and len(a) == len(b) <= SHORT_WORD and len(differ) == 1:
        return 0 if differ[0] in _CONFUSABLE else 1  # in a short word, only a letter read for a look-alike
    return edits - (1 if max(len(a), len(b)) <= 8 else 2)


def _provinces(places: frozenset[str]) -> set[str]:
    return {PROVINCE_OF[p] for p in places if p in PROVINCE_OF}


def missing_qualifiers(score: NameScore, q: Party) -> tuple[str, ...]:
    """Words of the listed name the query does not match and that tell a company apart (a place, a
    parenthesised qualifier, a sector or brand word); a place the query's address supplies does not count."""
    cf = score.candidate_form
    provinces = _provinces(q.places) | ({"xinjiang"} if q.xinjiang else set())
    return tuple(t for t in score.missing
                 if (token_class_weight(t) > W_GENERIC or t in cf.soft)
                 and t not in q.places and PROVINCE_OF.get(t, "") not in provinces)


def _other_province(qf: NameForm, cf: NameForm, c: Party) -> bool:
    """The query names a province the entry is not in, and the matched alias names none ("Tibet Autonomous
    Region Public Security Department" against the Xinjiang bureau's alias "Public Security Department of the
    Autonomous Region"); a province in both forms is weighed by the scorer already."""
    if not c.provinces or form_info(cf).provinces:
        return False
    return other_provinces([p for _, p in form_info(qf).provinces], c.provinces)


def _anchored(kind: str, name: NameFeatures) -> bool:
    """Place context may only strengthen a name that shares something distinctive with the candidate."""
    return kind == "person" or name.method in {"han", "initialism"} or any(
        is_distinctive(t) for t in name.token_overlap)


def score_parties(q: Party, c: Party) -> PartyScore:
    """Name similarity of the best alias pair, then the legal-form, type, country and place adjustments."""
    if not q.names or not c.names:
        return PartyScore(0.0, c.names[0] if c.names else "", MatchFeatures(NameFeatures("token_set")))
    kind = kind_of(q, c)
    sim, alias, name = (_person_names if kind == "person" else _company_names)(q, c)
    adjust = 0.0
    if name.legal_form.status == "conflict":
        adjust -= LEGAL_CONFLICT
    type_conflict = q.typed and c.typed and q.entity_type != c.entity_type
    adjust -= TYPE_CONFLICT if type_conflict else 0.0
    country = country_status(q.country, c.country)
    adjust -= COUNTRY_CONFLICT if country == "conflict" else 0.0
    overlap = sorted(q.places & c.places)
    anchored = sim >= BOOST_FLOOR and _anchored(kind, name)
    adjust += ADDRESS_BOOST if overlap and anchored else 0.0
    xinjiang = q.xinjiang and c.xinjiang and anchored
    adjust += XINJIANG_BOOST if xinjiang else 0.0
    ceiling = min(SYLLABLE_VARIANT_CAP if name.syllable_variant else 1.0,
                  QUALIFIER_CAP if name.missing_qualifier else 1.0)
    score = round(min(ceiling, max(0.0, sim + adjust)), 4)
    return PartyScore(score, alias, MatchFeatures(name, round(sim, 4), alias, country, tuple(overlap), xinjiang,
                                                  type_conflict))
