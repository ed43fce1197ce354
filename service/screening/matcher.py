"""Public matching API: `MatchIndex` over list entries, `compare` for two parties, `guess_entity_type`.

Pure functions over `ListEntry`; the score is name similarity plus small, explained adjustments
(legal form, country, address, Xinjiang place), banded by `Thresholds`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from service.screening.bound import CandidateFacts, NameBound, candidate_facts
from service.screening.chinese import han_count, has_han, script_of
from service.screening.glossary import DESCRIPTORS, GENERIC, PLACE_TOKENS, PROVINCE_OF
from service.screening.index import CandidateIndex, IndexKeys, keys_of
from service.screening.legal_forms import compare_forms
from service.screening.model import ListEntry
from service.screening.normalize import NameForm, country_code, country_status, latin_form
from service.screening.person_names import looks_like_person, person_similarity, person_tokens
from service.screening.person_names import may_reach as person_may_reach
from service.screening.scoring import (
    PLACE_CLASH,
    SYLLABLE_VARIANT_CAP,
    NameScore,
    best_name_score,
    compute_forms,
    form_info,
    is_distinctive,
    name_forms,
    other_provinces,
    place_tokens,
)

Band = Literal["strong", "review"]
Kind = Literal["company", "person"]
MAX_HAN_PERSON: Final = 4
# Entries checked per query. In an index of 65k names, true variants of eval-set entries rank in the top 4
# aliases (benchmarks/); entries, not aliases, are counted, so an entity with many aliases or listed on
# several lists does not crowd out the others.
SHORTLIST = 8
ALIASES_PER_ENTRY = 3  # aliases fetched per shortlisted entry before duplicates are folded
RECENT_QUERIES: Final = 4096  # answers kept per index, oldest dropped first


@dataclass(frozen=True, slots=True)
class MatchQuery:
    name: str
    entity_type: Kind | None = None  # guessed when None
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


@dataclass(frozen=True, slots=True)
class MatchResult:
    entry: ListEntry
    matched_alias: str  # which of entry.all_names produced the score
    score: float  # in [0, 1], rounded to 4 decimals
    band: Band | None
    features: dict[str, object] = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    band: Band | None
    features: dict[str, object] = field(hash=False, compare=False)


# Adjustments are small next to name similarity: context confirms or weakens a name match, never makes one.
LEGAL_CONFLICT: Final = 0.08  # AG vs GmbH; mild, as Chinese firms' English legal forms vary
COUNTRY_CONFLICT: Final = 0.15  # a non-CN/HK party against a CN entry
TYPE_CONFLICT: Final = 0.35  # a company is not the listed person of the same name
ADDRESS_BOOST: Final = 0.03
XINJIANG_BOOST: Final = 0.04
BOOST_FLOOR: Final = 0.55  # context only strengthens a name that already resembles the candidate
ROUNDING: Final = 1e-4  # scores are rounded to 4 decimals: 0.69995 is shown, and banded, as 0.7


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

    @property
    def all_forms(self) -> tuple[NameForm, ...]:
        return tuple(f for forms in self.forms for f in forms)


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
    return best, alias, _name_features("person_name", shared)


def _key(score: NameScore) -> tuple[float, bool]:
    return score.similarity, score.method == "han"  # on a tie, show the alias in the query's own script


def _company_names(q: Party, c: Party) -> tuple[float, str, dict[str, object]]:
    qforms = tuple(f for forms in q.forms for f in forms)
    best: NameScore | None = None
    alias = c.names[0]
    for cname, cforms in zip(c.names, c.forms, strict=True):
        score = best_name_score(qforms, cforms)
        if score is not None and (best is None or _key(score) > _key(best)):
            best, alias = score, cname
            if score.similarity >= 1.0 and score.method == "han":
                break
    if best is None:
        return 0.0, alias, _name_features("token_set", ())
    qf, cf = best.query_form, best.candidate_form
    status = compare_forms(qf.legal, cf.legal, han=bool(qf.han or cf.han))
    legal = {"status": status, "query": list(qf.legal), "candidate": list(cf.legal)}
    sim = best.similarity * (PLACE_CLASH if _other_province(qf, cf, c) else 1.0)
    return sim, alias, _name_features(best.method, best.shared, legal, best.variant or ())


def _other_province(qf: NameForm, cf: NameForm, c: Party) -> bool:
    """The query names a province the entry is not in, and the matched alias names none ("Tibet Autonomous
    Region Public Security Department" against the Xinjiang bureau's alias "Public Security Department of the
    Autonomous Region"); a province in both forms is weighed by the scorer already."""
    if not c.provinces or form_info(cf).provinces:
        return False
    return other_provinces([p for _, p in form_info(qf).provinces], c.provinces)


def _name_features(method: str, shared: Iterable[str], legal: dict[str, object] | None = None,
                   variant: Iterable[str] = ()) -> dict[str, object]:
    """The name part of a match's features: how the names were compared, what they share, legal forms."""
    return {"method": method, "token_overlap": list(shared),
            "legal_form": legal or {"status": "absent", "query": [], "candidate": []},
            "syllable_variant": list(variant)}


def _empty_features() -> dict[str, object]:
    return {**_name_features("token_set", ()), "name_similarity": 0.0, "matched_alias": "", "country": "unknown",
            "address_overlap": [], "xinjiang_place": False, "entity_type_conflict": False}


def _anchored(kind: str, features: dict[str, object]) -> bool:
    """Place context may only strengthen a name that shares something distinctive with the candidate."""
    shared = features["token_overlap"]
    return kind == "person" or features["method"] in {"han", "initialism"} or (
        isinstance(shared, list) and any(is_distinctive(t) for t in shared))


def score_parties(q: Party, c: Party) -> PartyScore:
    """Name similarity of the best alias pair, then the legal-form, type, country and place adjustments."""
    if not q.names or not c.names:
        return PartyScore(0.0, c.names[0] if c.names else "", _empty_features())
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
    anchored = sim >= BOOST_FLOOR and _anchored(kind, features)
    adjust += ADDRESS_BOOST if overlap and anchored else 0.0
    xinjiang = q.xinjiang and c.xinjiang and anchored
    adjust += XINJIANG_BOOST if xinjiang else 0.0
    ceiling = SYLLABLE_VARIANT_CAP if features["syllable_variant"] else 1.0
    score = round(min(ceiling, max(0.0, sim + adjust)), 4)
    features.update({
        "name_similarity": round(sim, 4), "matched_alias": alias, "country": country,
        "address_overlap": overlap, "xinjiang_place": xinjiang, "entity_type_conflict": type_conflict,
    })
    return PartyScore(score, alias, features)


_COMPANY_WORDS: Final = GENERIC | DESCRIPTORS | PLACE_TOKENS


def guess_entity_type(name: str) -> Kind:
    """'person' for "SURNAME, Given", short Han names, or 2-3 plain words none of which is a company word."""
    if looks_like_person(name):
        return "person"
    if has_han(name):
        return "company"
    form = latin_form(name)
    words = form.tokens
    plain = all(w.isalpha() and w not in _COMPANY_WORDS for w in words)
    return "person" if not form.legal and not form.soft and 2 <= len(words) <= 3 and plain else "company"


def _query_party(query: MatchQuery) -> Party:
    names = tuple(n for n in (query.name, query.chinese_name) if n and n.strip())
    kind = query.entity_type or guess_entity_type(query.name)
    return Party(
        names=names, forms=tuple(name_forms(n) for n in names), entity_type=kind, typed=query.entity_type is not None,
        country=country_code(query.country), places=place_tokens(query.address or ""),
        xinjiang=query.xinjiang_place,
    )


def _entry_party(entry: ListEntry) -> Party:
    places = frozenset().union(*(place_tokens(a) for a in (*entry.addresses, entry.city or "")))
    names = entry.all_names
    forms = tuple(compute_forms(n) for n in names)
    provinces = tuple(sorted({PROVINCE_OF[t] for fs in forms for f in fs for t in f.tokens if t in PROVINCE_OF}))
    return Party(
        names=names, forms=forms, entity_type="person" if entry.entity_type == "person" else "company",
        typed=True, country=country_code(entry.country), places=places, xinjiang=entry.xinjiang_linked,
        provinces=provinces,
    )


def _with_script(scored: PartyScore, query: MatchQuery) -> dict[str, object]:
    return {**scored.features, "query_script": script_of(" ".join(filter(None, (query.name, query.chinese_name))))}


def compare(a: MatchQuery, b: MatchQuery, *, thresholds: Thresholds = Thresholds()) -> PairScore:
    """Score two parties directly, with the features that explain why they (do not) match."""
    scored = score_parties(_query_party(a), _query_party(b))
    return PairScore(scored.score, thresholds.band(scored.score), _with_script(scored, a))


def _keys(party: Party, query: bool) -> IndexKeys:
    """Index keys of a party's names. A query also looks up adjacent tokens joined ("Mei Jia" -> "meijia"),
    as syllables of one pinyin word are often written apart; and its person-name reading."""
    token_lists: list[tuple[str, ...]] = []
    extra: set[str] = set()
    for name, forms in zip(party.names, party.forms, strict=True):
        for form in forms:
            token_lists.append(form.tokens)
            extra |= form.initials
            if query:
                extra.update(a + b for a, b in zip(form.tokens, form.tokens[1:], strict=False))
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


class MatchIndex:
    """In-memory index over every name, alias and Chinese name of the matchable entries."""

    def __init__(self, entries: list[ListEntry], parties: list[Party], owners: list[int],
                 index: CandidateIndex) -> None:
        self._entries = entries
        self._parties = parties
        self._owners = owners  # index item -> entry number
        self._index = index
        self._by_source: dict[str, set[int]] = {}  # source -> index items, to filter before the shortlist
        self._allowed_cache: dict[frozenset[str], set[int]] = {}
        self._facts: list[CandidateFacts | None] = [None] * len(entries)
        self._recent: dict[tuple[object, ...], tuple[MatchResult, ...]] = {}
        self._recent_lock = threading.Lock()
        for item, number in enumerate(owners):
            self._by_source.setdefault(entries[number].source, set()).add(item)

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> MatchIndex:
        """Build with the cyclic garbage collector paused: the index is millions of small acyclic objects,
        and collections triggered while allocating them cost as much as the build itself. Afterwards they
        are frozen (kept out of later collections); refcounting still frees them with the index."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(entries)
        finally:
            if enabled:
                gc.enable()
            gc.freeze()

    @classmethod
    def _build(cls, entries: Iterable[ListEntry]) -> MatchIndex:
        kept = [e for e in entries if e.match_by_name]  # region-wide orders apply as rules, not names
        index = CandidateIndex()
        owners: list[int] = []
        parties = [_entry_party(e) for e in kept]
        for number, party in enumerate(parties):
            for name, forms in zip(party.names, party.forms, strict=True):
                index.add(_keys(Party((name,), (forms,), party.entity_type, True, None, frozenset(), False), False))
                owners.append(number)
        return cls(kept, parties, owners, index)

    def _allowed(self, sources: frozenset[str]) -> set[int]:
        found = self._allowed_cache.get(sources)
        if found is None:
            found = self._allowed_cache[sources] = set().union(*(self._by_source.get(s, set()) for s in sources))
        return found

    def _may_reach(self, number: int, party: Party, bound: NameBound, floor: float) -> bool:
        """A cheap, safe test that entry `number` can reach the review band; most shortlisted names cannot."""
        cand = self._parties[number]
        if _kind(party, cand) == "person":
            return any(person_may_reach(q, c, floor) for c in cand.names for q in party.names)
        facts = self._facts[number]
        if facts is None:  # computed on first use: most entries are never shortlisted
            facts = self._facts[number] = candidate_facts(cand.all_forms)
        return bound.may_reach(facts, floor)

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, query: MatchQuery, *, thresholds: Thresholds = Thresholds(),
              sources: Collection[str] | None = None, limit: int = 10) -> list[MatchResult]:
        """Review- and strong-band results, best first, one per entry (its best alias). Suppliers recur
        across shipments and vendor-master rows, so recent answers are kept (the index never changes)."""
        key = (query, thresholds, None if sources is None else frozenset(sources), limit)
        found = self._recent.get(key)
        if found is None:
            found = self._match(query, thresholds, key[2], limit)
            with self._recent_lock:  # the API screens on several threads at once
                while len(self._recent) >= RECENT_QUERIES:
                    self._recent.pop(next(iter(self._recent)))  # the oldest: dicts keep insertion order
                self._recent[key] = found
        return list(found)

    def _match(self, query: MatchQuery, thresholds: Thresholds, sources: frozenset[str] | None, limit: int
               ) -> tuple[MatchResult, ...]:
        party = _query_party(query)
        keys = _keys(party, True)
        allowed = None if sources is None else self._allowed(sources)
        items = self._index.shortlist(keys, SHORTLIST * ALIASES_PER_ENTRY, allowed)
        numbers = list(dict.fromkeys(self._owners[i] for i in items))[:SHORTLIST]
        bound = NameBound(tuple(f for forms in party.forms for f in forms))
        boost = (ADDRESS_BOOST if party.places else 0.0) + (XINJIANG_BOOST if party.xinjiang else 0.0)
        floor = thresholds.review - boost - ROUNDING  # the least name similarity that can still reach review
        results: list[MatchResult] = []
        for number in numbers:
            entry = self._entries[number]
            cand = self._parties[number]
            if not self._may_reach(number, party, bound, floor):
                continue
            scored = score_parties(party, cand)
            band = thresholds.band(scored.score)
            if band is not None:
                results.append(MatchResult(entry, scored.matched_alias, scored.score, band,
                                           _with_script(scored, query)))
        results.sort(key=lambda r: (-r.score, r.entry.source, r.entry.entry_id))
        return tuple(results[:limit])
