"""Public matching API: `MatchIndex` over list entries, `compare` for two parties, `guess_entity_type`.

Pure functions over `ListEntry`; the score is name similarity plus small, explained adjustments
(legal form, country, address, Xinjiang place), banded by `Thresholds`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

from service.screening.chinese import has_han, script_of
from service.screening.glossary import DESCRIPTORS, GENERIC, PLACE_TOKENS
from service.screening.index import CandidateIndex, IndexKeys, keys_of
from service.screening.model import ListEntry
from service.screening.normalize import country_code, latin_form
from service.screening.person_names import looks_like_person, person_tokens
from service.screening.scoring import Party, PartyScore, name_forms, place_tokens, score_parties

Band = Literal["strong", "review"]
Kind = Literal["company", "person"]
SHORTLIST = 25  # aliases scored per query: enough for recall, small enough for speed


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
    # Chosen on the nomenklatura benchmark and the hand-labelled eval set (see benchmarks/).
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


def guess_entity_type(name: str) -> Kind:
    """'person' for "SURNAME, Given", short Han names, or 2-3 plain words none of which is a company word."""
    if looks_like_person(name):
        return "person"
    if has_han(name):
        return "company"
    form = latin_form(name)
    words = form.tokens
    company_words = GENERIC | DESCRIPTORS | PLACE_TOKENS
    plain = all(w.isalpha() and w not in company_words for w in words)
    return "person" if not form.legal and not form.soft and 2 <= len(words) <= 3 and plain else "company"


def _query_party(query: MatchQuery) -> Party:
    names = tuple(n for n in (query.name, query.chinese_name) if n and n.strip())
    kind = query.entity_type or guess_entity_type(query.name)
    return Party(
        names=names, entity_type=kind, typed=query.entity_type is not None,
        country=country_code(query.country), places=place_tokens(query.address or ""),
        xinjiang=query.xinjiang_place,
    )


def _entry_party(entry: ListEntry) -> Party:
    places = frozenset().union(*(place_tokens(a) for a in (*entry.addresses, entry.city or "")))
    return Party(
        names=entry.all_names, entity_type="person" if entry.entity_type == "person" else "company",
        typed=True, country=country_code(entry.country), places=places, xinjiang=entry.xinjiang_linked,
    )


def _with_script(scored: PartyScore, query: MatchQuery) -> dict[str, object]:
    return {**scored.features, "query_script": script_of(" ".join(filter(None, (query.name, query.chinese_name))))}


def compare(a: MatchQuery, b: MatchQuery, *, thresholds: Thresholds = Thresholds()) -> PairScore:
    """Score two parties directly, with the features that explain why they (do not) match."""
    scored = score_parties(_query_party(a), _query_party(b))
    return PairScore(scored.score, thresholds.band(scored.score), _with_script(scored, a))


def _keys(names: Iterable[str], person: bool) -> IndexKeys:
    token_lists: list[tuple[str, ...]] = []
    for name in names:
        token_lists.extend(f.tokens for f in name_forms(name))
        token_lists.extend((i,) for f in name_forms(name) for i in f.initials)
        if person:
            token_lists.append(person_tokens(name))
    return keys_of(token_lists)


class MatchIndex:
    """In-memory index over every name, alias and Chinese name of the matchable entries."""

    def __init__(self, entries: list[ListEntry], parties: list[Party], owners: list[int],
                 index: CandidateIndex) -> None:
        self._entries = entries
        self._parties = parties
        self._owners = owners  # index item -> entry number
        self._index = index

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> MatchIndex:
        kept = [e for e in entries if e.match_by_name]  # region-wide orders apply as rules, not names
        items: list[IndexKeys] = []
        owners: list[int] = []
        for number, entry in enumerate(kept):
            for alias in entry.all_names:
                items.append(_keys((alias,), entry.entity_type == "person"))
                owners.append(number)
        return cls(kept, [_entry_party(e) for e in kept], owners, CandidateIndex(items))

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, query: MatchQuery, *, thresholds: Thresholds = Thresholds(),
              sources: Collection[str] | None = None, limit: int = 10) -> list[MatchResult]:
        """Review- and strong-band results, best first, one per entry (its best alias)."""
        party = _query_party(query)
        keys = _keys(party.names, True)
        numbers = dict.fromkeys(self._owners[i] for i in self._index.shortlist(keys, SHORTLIST))
        results: list[MatchResult] = []
        for number in numbers:
            entry = self._entries[number]
            if sources is not None and entry.source not in sources:
                continue
            scored = score_parties(party, self._parties[number])
            band = thresholds.band(scored.score)
            if band is not None:
                results.append(MatchResult(entry, scored.matched_alias, scored.score, band,
                                           _with_script(scored, query)))
        results.sort(key=lambda r: (-r.score, r.entry.source, r.entry.entry_id))
        return results[:limit]
