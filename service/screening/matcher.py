"""Public matching API: `MatchIndex` over list entries, `compare` for two parties, `guess_entity_type`.

Pure functions over `ListEntry`; the score is name similarity plus small, explained adjustments
(legal form, country, address, Xinjiang place), banded by `Thresholds` (`party_score`). A query name is
cleaned first (`cleaning`); entries naming one entity on several lists are matched as one group (`linking`)
and each comes back with its own list, citation and consequence.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Final

from rapidfuzz import fuzz, process

from service.screening.bound import CandidateFacts, NameBound, candidate_facts
from service.screening.features import EntryRef, MatchFeatures
from service.screening.index import CandidateIndex
from service.screening.linking import link_groups
from service.screening.model import ListEntry
from service.screening.normalize import NO_WORDS, fold
from service.screening.party_score import ADDRESS_BOOST, ROUNDING, XINJIANG_BOOST, Party, kind_of, score_parties
from service.screening.person_names import may_reach as person_may_reach
from service.screening.query import (
    DEFAULT_THRESHOLDS,
    MatchQuery,
    MatchResult,
    PairScore,
    Thresholds,
    compare,
    entry_party,
    guess_entity_type,
    query_keys,
    query_party,
    with_cleaning,
)
from service.screening.scoring import compute_forms, name_forms
from service.screening.vocabulary import Band

__all__ = ["Band", "MatchIndex", "MatchQuery", "MatchResult", "PairScore", "Party", "Thresholds",
           "compare", "guess_entity_type"]

# Entities checked per query. In an index of 65k names, true variants of eval-set entries rank in the top 4
# aliases (benchmarks/); entities, not aliases, are counted, so an entity with many aliases or listed on
# several lists does not crowd out the others.
SHORTLIST = 8
ALIASES_PER_ENTRY = 3  # aliases fetched per shortlisted entity before duplicates are folded
RECENT_QUERIES: Final = 4096  # answers kept per index, oldest dropped first
ONE_WORD_RATIO: Final = 80  # a one-word query meets one-word names this close (a typo: "Yraco" / "Yoraco")
ONE_WORD_HITS: Final = 4


def exact_key(name: str) -> str:
    """A name's words, folded and sorted: the listed name typed as listed (in any word order) always meets it."""
    return " ".join(sorted(fold(name).split()))


class MatchIndex:
    """In-memory index over every name, alias and Chinese name of the matchable entries, by linked entity."""

    def __init__(self, entries: list[ListEntry], groups: list[tuple[int, ...]], parties: list[Party],
                 owners: list[int], index: CandidateIndex) -> None:
        self._entries = entries
        self.groups = groups  # entity number -> its entry numbers (one entity, several lists)
        self._parties = parties  # entity number -> its party (all names of all its entries)
        self._owners = owners  # index item -> entity number
        self._index = index
        self.prune = True  # skip candidates the bound proves cannot reach the review band (off: to test it)
        self._by_source: dict[str, set[int]] = {}  # source -> index items, to filter before the shortlist
        self._allowed_cache: dict[frozenset[str], set[int]] = {}
        self._facts: list[CandidateFacts | None] = [None] * len(groups)
        self._recent: dict[tuple[object, ...], tuple[MatchResult, ...]] = {}
        self._recent_lock = threading.Lock()
        self._exact: dict[int, int] = {}  # hash of a name's exact key -> its entity (a collision only adds one)
        self._exact_more: dict[int, list[int]] = {}  # further entities under the same key
        self._one_word: list[str] = []  # the one-token names, and their entities
        self._one_word_owner: list[int] = []
        # Each entity's first (source, entry id): equal scores rank by it, never by the order candidates came in.
        self._first_entry = [min((entries[m].source, entries[m].entry_id) for m in group) for group in groups]
        for item, number in enumerate(owners):
            for member in groups[number]:
                self._by_source.setdefault(entries[member].source, set()).add(item)
        for number, party in enumerate(parties):
            for name, forms in zip(party.names, party.forms, strict=True):
                key = hash(exact_key(name))
                if self._exact.setdefault(key, number) != number:
                    self._exact_more.setdefault(key, []).append(number)
                if len(forms) == 1 and len(forms[0].tokens) == 1 and len(forms[0].tokens[0]) >= 4:
                    self._one_word.append(forms[0].tokens[0])
                    self._one_word_owner.append(number)

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
        known = {name: compute_forms(name) for e in kept for name in e.all_names}  # each name's forms, once
        groups = link_groups(kept, known.__getitem__)
        index = CandidateIndex()
        owners: list[int] = []
        parties = [entry_party([kept[m] for m in group], known.__getitem__) for group in groups]
        del known
        for number, party in enumerate(parties):
            for name, forms in zip(party.names, party.forms, strict=True):
                one = Party((name,), (forms,), party.entity_type, True, None, NO_WORDS, False)
                index.add(query_keys(one, False))
                owners.append(number)
        return cls(kept, groups, parties, owners, index)

    @property
    def links(self) -> list[tuple[ListEntry, ...]]:
        """The entities listed on more than one list, as their entries."""
        return [tuple(self._entries[m] for m in g) for g in self.groups if len(g) > 1]

    def _allowed(self, sources: frozenset[str]) -> set[int]:
        found = self._allowed_cache.get(sources)
        if found is None:
            found = self._allowed_cache[sources] = set().union(*(self._by_source.get(s, set()) for s in sources))
        return found

    def _may_reach(self, number: int, party: Party, bound: NameBound, floor: float) -> bool:
        """A cheap, safe test that entity `number` can reach the review band; most shortlisted names cannot."""
        cand = self._parties[number]
        if kind_of(party, cand) == "person":
            return any(person_may_reach(q, c, floor) for c in cand.names for q in party.names)
        facts = self._facts[number]
        if facts is None:  # computed on first use: most entries are never shortlisted
            facts = self._facts[number] = candidate_facts(cand.all_forms)
        return bound.may_reach(facts, floor)

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, query: MatchQuery, *, thresholds: Thresholds = DEFAULT_THRESHOLDS,
              sources: Collection[str] | None = None, limit: int = 10) -> list[MatchResult]:
        """Review- and strong-band results, best first, one per entry (its group's best alias); `limit` counts
        entities, and every entry of a listed entity comes with it. Suppliers recur across shipments and
        vendor-master rows, so recent answers are kept (the index never changes)."""
        key = (query, thresholds, None if sources is None else frozenset(sources), limit)
        found = self._recent.get(key)
        if found is None:
            found = self._match(query, thresholds, key[2], limit)
            with self._recent_lock:  # the API screens on several threads at once
                while len(self._recent) >= RECENT_QUERIES:
                    self._recent.pop(next(iter(self._recent)))  # the oldest: dicts keep insertion order
                self._recent[key] = found
        return list(found)

    def _candidates(self, party: Party, sources: frozenset[str] | None) -> list[int]:
        """Entities to score: the exact names typed, one-word near spellings, then the index's shortlist."""
        allowed = None if sources is None else self._allowed(sources)
        items = self._index.shortlist(query_keys(party, True), SHORTLIST * ALIASES_PER_ENTRY, allowed)
        exact = [n for name in party.names for n in self._exact_entities(name)]
        shortlist = list(dict.fromkeys(self._owners[i] for i in items))[:SHORTLIST]
        return list(dict.fromkeys([*exact, *self._near_one_word(party), *shortlist]))

    def _exact_entities(self, name: str) -> list[int]:
        key = hash(exact_key(name))
        first = self._exact.get(key)
        return [] if first is None else [first, *self._exact_more.get(key, ())]

    def _with_listed_name(self, party: Party, query: MatchQuery) -> Party:
        """A name typed exactly as listed is matched as typed, even where cleaning would cut something from it."""
        raw = query.name.strip()
        if raw in party.names or not self._exact_entities(raw):
            return party
        return replace(party, names=(*party.names, raw), forms=(*party.forms, name_forms(raw)))

    def _near_one_word(self, party: Party) -> list[int]:
        """One-word names a letter or two away from a one-word query: too few trigrams in common to be retrieved."""
        words = sorted({f.tokens[0] for f in party.all_forms if len(f.tokens) == 1 and len(f.tokens[0]) >= 4})
        hits = (process.extract(w, self._one_word, scorer=fuzz.ratio, score_cutoff=ONE_WORD_RATIO,
                                limit=ONE_WORD_HITS) for w in words)
        return [self._one_word_owner[i] for found in hits for _, _, i in found]

    def _match(self, query: MatchQuery, thresholds: Thresholds, sources: frozenset[str] | None, limit: int
               ) -> tuple[MatchResult, ...]:
        party = self._with_listed_name(query_party(query), query)
        numbers = self._candidates(party, sources)
        bound = NameBound(party.all_forms)
        boost = (ADDRESS_BOOST if party.places else 0.0) + (XINJIANG_BOOST if party.xinjiang else 0.0)
        floor = thresholds.review - boost - ROUNDING  # the least name similarity that can still reach review
        scored: list[tuple[float, int, MatchFeatures, str]] = []
        for number in numbers:
            if self.prune and not self._may_reach(number, party, bound, floor):
                continue
            result = score_parties(party, self._parties[number])
            if thresholds.band(result.score) is not None:
                scored.append((result.score, number, with_cleaning(result, query), result.matched_alias))
        scored.sort(key=lambda s: (-s[0], self._first_entry[s[1]]))  # ties at the limit: by (source, entry id)
        results: list[MatchResult] = []
        for score, number, features, alias in scored[:limit]:
            results.extend(self._expand(number, score, thresholds.band(score), features, alias, sources))
        results.sort(key=lambda r: (-r.score, r.entry.source, r.entry.entry_id))
        return tuple(results)

    def _expand(self, number: int, score: float, band: Band | None, features: MatchFeatures, alias: str,
                sources: frozenset[str] | None) -> list[MatchResult]:
        """One result per entry of the entity (in the sources asked for), each naming the others."""
        members = [self._entries[m] for m in self.groups[number]]
        owner = next((e for e in members if alias in e.all_names), members[0])
        out = []
        for entry in members:
            if sources is not None and entry.source not in sources:
                continue
            linked = tuple(e for e in members if e is not entry)
            of_entity = replace(features, matched_entry=EntryRef(owner.source, owner.entry_id),
                                linked_entries=tuple(EntryRef(e.source, e.entry_id, e.name) for e in linked))
            out.append(MatchResult(entry, alias, score, band, of_entity, linked))
        return out
