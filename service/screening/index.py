"""Candidate retrieval: token and character-trigram postings over every name form, IDF-weighted.

A query only touches the postings of its own keys, so it never scans all names; the scorer then
looks at a short list. Trigrams find variants that share no full token with the list name
("Hosh1ne Silicon lndustry", "Zhongtai" / "Zhong Tai").
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter
from typing import Final

native_ranked: Callable[[list[tuple[array[int], float]], float, float, int], list[int]] | None
try:  # the C inner loop, built with the compiled modules (hatch_build.py); else the same loop in Python
    from service.screening._postings import ranked as _ranked

    native_ranked = _ranked
except ImportError:
    native_ranked = None

TRIGRAM_WEIGHT: Final = 0.35  # a shared trigram is weaker evidence than a shared token
TOKEN_DF_SHARE: Final = 0.02  # tokens in more names than this share are skipped unless nothing else hits
GRAM_DF_SHARE: Final = 0.005  # the same for trigrams, which are commoner
MAX_GRAMS: Final = 10  # only a query's rarest trigrams are looked up: they carry the evidence
MIN_CAP: Final = 64
MIN_SHARE: Final = 0.2  # an item sharing less of the query's key weight cannot reach the review band


def _length_and_key(item: tuple[int, str, array[int]]) -> tuple[int, str]:
    return item[0], item[1]


def trigrams(compact: str) -> set[str]:
    padded = f"^{compact}$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True, slots=True)
class IndexKeys:
    tokens: frozenset[str]
    grams: frozenset[str]


def keys_of(token_lists: Iterable[tuple[str, ...]], extra: Iterable[str] = ()) -> IndexKeys:
    """Tokens and trigrams of each token list; `extra` keys (initialisms) are tokens only."""
    tokens: set[str] = set(extra)
    grams: set[str] = set()
    for toks in token_lists:
        tokens.update(toks)
        grams |= trigrams("".join(toks))
    return IndexKeys(frozenset(tokens), frozenset(grams))


class CandidateIndex:
    """Postings from keys to item numbers (one item per entry alias), filled one item at a time."""

    def __init__(self) -> None:
        self.size = 0
        self._tokens: dict[str, array[int]] = {}
        self._grams: dict[str, array[int]] = {}

    def add(self, keys: IndexKeys) -> int:
        """Index one item; returns its number."""
        number = self.size
        for postings, found in ((self._tokens, keys.tokens), (self._grams, keys.grams)):
            for key in found:
                hits = postings.get(key)
                if hits is None:
                    hits = postings[key] = array("i")
                hits.append(number)
        self.size += 1
        return number

    @property
    def _token_cap(self) -> int:
        return max(MIN_CAP, int(self.size * TOKEN_DF_SHARE))

    @property
    def _gram_cap(self) -> int:
        return max(MIN_CAP, int(self.size * GRAM_DF_SHARE))

    def _idf(self, df: int) -> float:
        return math.log(1 + self.size / df)

    def _lookup(self, keys: Iterable[str], postings: dict[str, array[int]], cap: int) -> list[array[int]]:
        """The posting lists of `keys` holding at most `cap` items, shortest first; lists of one length in key
        order, so which lists a cut keeps, and the order weights are added in, never follow set iteration
        (string hashing differs per process: PYTHONHASHSEED)."""
        found: list[tuple[int, str, array[int]]] = []
        for key in keys:
            hits = postings.get(key)
            if hits is not None and len(hits) <= cap:
                found.append((len(hits), key, hits))
        found.sort(key=_length_and_key)
        return [hits for _, _, hits in found]

    def _weighted(self, lists: list[array[int]], factor: float) -> tuple[list[tuple[array[int], float]], float]:
        """Each list with its IDF weight, and the weight a name with every key would get."""
        weighted = [(hits, factor * self._idf(len(hits))) for hits in lists]
        total = 0.0
        for _, w in weighted:
            total += w
        return weighted, total

    @staticmethod
    def _ranked(weighted: list[tuple[array[int], float]], total: float, cut: float, limit: int,
                allowed: Container[int] | None) -> list[int]:
        """Add each list's weight to its items, shortest (rarest) lists first. Once the lists left weigh less
        than `cut`, an item not met yet can no longer reach it, so those lists only add to the items already
        met. Returns the items reaching `cut`, best first, ties in first-met order. The C module `_postings`
        (when built) makes the same additions in the same order and ranks the same way."""
        ordered = sorted(weighted, key=lambda pair: len(pair[0]))
        if native_ranked is not None:
            if allowed is None:
                return native_ranked(ordered, total, cut, limit)
            return [number for number in native_ranked(ordered, total, cut, -1) if number in allowed][:limit]
        acc: dict[int, float] = {}
        left = total
        for hits, w in ordered:
            # Each step runs in C: no bytecode per posting. A list holds an item once, so reading and writing
            # `acc` lazily, item by item, adds exactly as a loop would, and new items keep first-met order.
            met = hits if left + 1e-9 >= cut else list(filter(acc.__contains__, hits))
            acc.update(zip(met, map(add, map(acc.get, met, repeat(0.0)), repeat(w)), strict=False))
            left -= w
        kept = [(number, score) for number, score in acc.items()
                if score >= cut and (allowed is None or number in allowed)]
        kept.sort(key=itemgetter(1), reverse=True)  # stable: ties keep first-met order
        return [number for number, _ in kept[:limit]]

    def shortlist(self, keys: IndexKeys, limit: int, allowed: Container[int] | None = None) -> list[int]:
        """Item numbers with the highest IDF-weighted key overlap, best first; items sharing too little
        of the query's keys to ever score as a match are left out."""
        tokens, total = self._weighted(self._lookup(keys.tokens, self._tokens, self._token_cap), 1.0)
        grams, gram_total = self._weighted(self._lookup(keys.grams, self._grams, self._gram_cap)[:MAX_GRAMS],
                                           TRIGRAM_WEIGHT)
        total += gram_total
        if not tokens and not grams:  # only very common keys: use them after all
            tokens, total = self._weighted(self._lookup(keys.tokens, self._tokens, self.size), 1.0)
        cut = MIN_SHARE * total
        return self._ranked(tokens + grams, total, cut, limit, allowed)
