"""Queries and results of the matcher: `MatchQuery`, `Thresholds`, `MatchResult`, the parties built from a
query (its name cleaned first, `cleaning`) or from linked list entries, and `compare` for two parties."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

from service.screening.chinese import group_tail, han_count, has_han, script_of
from service.screening.cleaning import CleanName, clean_name
from service.screening.features import MatchFeatures, QueryCleaning
from service.screening.glossary import DESCRIPTORS, GENERIC, PLACE_TOKENS, PROVINCE_OF
from service.screening.index import IndexKeys, keys_of
from service.screening.model import ListEntry
from service.screening.normalize import NameForm, country_code, latin_form, spelled, word_set
from service.screening.party_score import NATIONS, Party, PartyScore, score_parties
from service.screening.person_names import looks_like_person, person_tokens
from service.screening.scoring import compute_forms, name_forms, place_tokens
from service.screening.vocabulary import Band, PartyType

MAX_HAN_PERSON: Final = 4


@dataclass(frozen=True, slots=True)
class MatchQuery:
    name: str
    entity_type: PartyType | None = None  # guessed when None
    chinese_name: str | None = None
    country: str | None = None  # ISO-3166 alpha-2 or a country name ("China", "PRC", "中国", "Hong Kong")
    address: str | None = None
    xinjiang_place: bool = False  # set by the caller when a Xinjiang place was found in address/city


@dataclass(frozen=True, slots=True)
class Thresholds:
    # From the eval set (tests/eval/pairs.csv) and nomenklatura pairs: hard negatives top out near 0.68,
    # true variants rarely fall under 0.75; strong is kept well above, as it triggers the presumption.
    strong: float = 0.88
    review: float = 0.70

    def band(self, score: float) -> Band | None:
        if score >= self.strong:
            return "strong"
        return "review" if score >= self.review else None


DEFAULT_THRESHOLDS: Final = Thresholds()


@dataclass(frozen=True, slots=True)
class MatchResult:
    entry: ListEntry
    matched_alias: str  # which name of the entry's linked group produced the score
    score: float  # in [0, 1], rounded to 4 decimals
    band: Band | None
    features: MatchFeatures = field(hash=False, compare=False)
    # The same entity's entries on other lists (linking.py); each also comes back as its own result.
    linked: tuple[ListEntry, ...] = field(default=(), hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    band: Band | None
    features: MatchFeatures = field(hash=False, compare=False)


_COMPANY_WORDS: Final = GENERIC | DESCRIPTORS | PLACE_TOKENS


def guess_entity_type(name: str) -> PartyType:
    """'person' for "SURNAME, Given", short Han names, or 2-3 plain words none of which is a company word."""
    if looks_like_person(name):
        return "person"
    if has_han(name):
        return "company"
    form = latin_form(name)
    words = form.tokens
    plain = all(w.isalpha() and w not in _COMPANY_WORDS for w in words)
    return "person" if not form.legal and not form.soft and 2 <= len(words) <= 3 and plain else "company"


def cleaned(query: MatchQuery) -> tuple[CleanName, CleanName | None]:
    """The query's name and Chinese name without invisible characters and noise (`cleaning`)."""
    chinese = query.chinese_name
    return clean_name(query.name), clean_name(chinese) if chinese and chinese.strip() else None


def query_party(query: MatchQuery) -> Party:
    name, chinese = cleaned(query)
    found = [name.text, *name.other_names, *((chinese.text, *chinese.other_names) if chinese else ())]
    found += [tail for n in found if has_han(n) and (tail := group_tail(n))]
    names = tuple(dict.fromkeys(n for n in found if n.strip()))
    kind = query.entity_type or guess_entity_type(name.text)
    return Party(
        names=names, forms=tuple(name_forms(n) for n in names), entity_type=kind, typed=query.entity_type is not None,
        country=country_code(query.country), places=place_tokens(query.address or ""),
        xinjiang=query.xinjiang_place,
    )


def entry_party(entries: list[ListEntry], forms_of: Callable[[str], tuple[NameForm, ...]] = compute_forms) -> Party:
    """One party for the linked entries of one entity: every name of every entry."""
    first = entries[0]
    places = word_set(t for e in entries for a in (*e.addresses, e.city or "") for t in place_tokens(a))
    names = tuple(dict.fromkeys(n for e in entries for n in e.all_names))
    forms = tuple(forms_of(n) for n in names)
    provinces = tuple(sorted({PROVINCE_OF[t] for fs in forms for f in fs for t in f.tokens if t in PROVINCE_OF}))
    country = next((c for c in (country_code(e.country) for e in entries) if c), None)
    return Party(
        names=names, forms=forms, entity_type="person" if first.entity_type == "person" else "company",
        typed=True, country=country, places=places, xinjiang=any(e.xinjiang_linked for e in entries),
        provinces=provinces, vessel=first.entity_type == "vessel",
        countries=tuple(sorted({t for fs in forms for f in fs for t in f.tokens if t in NATIONS})),
    )


def with_cleaning(scored: PartyScore, query: MatchQuery) -> MatchFeatures:
    """The features, plus the query's script and what cleaning showed and set aside."""
    name, chinese = cleaned(query)
    script = script_of(" ".join(filter(None, (name.text, chinese.text if chinese else None))))
    return replace(scored.features, cleaning=QueryCleaning(
        query_script=script, query_name=name.text, ignored=(*name.ignored, *(chinese.ignored if chinese else ())),
        other_names=(*name.other_names, *(chinese.other_names if chinese else ())), display_reordered=name.reordered))


def compare(a: MatchQuery, b: MatchQuery, *, thresholds: Thresholds = Thresholds()) -> PairScore:
    """Score two parties directly, with the features that explain why they (do not) match."""
    scored = score_parties(query_party(a), query_party(b))
    return PairScore(scored.score, thresholds.band(scored.score), with_cleaning(scored, a))


def query_keys(party: Party, query: bool) -> IndexKeys:
    """Index keys of a party's names. A query also looks up adjacent tokens joined ("Mei Jia" -> "meijia"),
    as syllables of one pinyin word are often written apart; and its person-name reading."""
    token_lists: list[tuple[str, ...]] = []
    extra: set[str] = set()
    for name, forms in zip(party.names, party.forms, strict=True):
        for form in forms:
            token_lists.append(form.tokens)
            extra.update(form.initials)
            if query:
                extra.update(spelled(a) + spelled(b) for a, b in zip(form.tokens, form.tokens[1:], strict=False))
        if party.entity_type == "person" or (query and _may_be_person(name)):
            token_lists.append(person_tokens(name))
    return keys_of(token_lists, extra)


def _may_be_person(name: str) -> bool:
    """A query read as a person name too, unless it is Han script too long for one (Han personal names
    are 2-4 characters; transliterated Uyghur names carry a middle dot). Saves the pinyin of every
    long Chinese company name."""
    if not has_han(name):
        return True
    return han_count(name) <= MAX_HAN_PERSON or "·" in name or "•" in name

