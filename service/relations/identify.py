"""Which external organisations (GLEIF LEI records, FtM entities) are list entries: a strong name match with
the same country.

Millions of LEI records go by, so a cheap screen comes first: a record is matched only when one of its names
carries a distinctive word (or, in Han script, a two-character sequence) that some entry's names carry and
few entries share. Generic words (Xinjiang, Industry, Co) never pass the screen on their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service.screening.chinese import has_han, to_simplified
from service.screening.matcher import Kind, MatchIndex, MatchQuery, MatchResult, Thresholds
from service.screening.model import ListEntry
from service.screening.normalize import country_code, country_status
from service.screening.scoring import compute_forms, is_distinctive

MAX_SHARED_BY = 8  # a word in more entries than this says little about which one is meant
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Identification:
    entry: ListEntry
    match: MatchResult
    name: str  # the external name that matched

    def describe(self, who: str) -> str:
        return (f"{who} name {self.name!r} matches {self.entry.source} entry {self.entry.entry_id} "
                f"{self.entry.name!r} (flrisk name match, score {self.match.score:.2f}, country {self.entry.country})")


def _bigrams(text: str) -> set[str]:
    han = "".join(ch for ch in to_simplified(text) if has_han(ch))
    return {han[i:i + 2] for i in range(len(han) - 1)}


class Identifier:
    """Finds the list entries an external organisation is, from its names and country."""

    def __init__(self, entries: Iterable[ListEntry], thresholds: Thresholds | None = None,
                 index: MatchIndex | None = None) -> None:
        """`index`: the active lists' own index over the same entries, when there is one (saves a build)."""
        self.entries = [e for e in entries if e.match_by_name]
        self.index = index or MatchIndex.build(self.entries)
        self.thresholds = thresholds or Thresholds()
        words: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        for entry in self.entries:
            words.update({t for n in entry.all_names for f in compute_forms(n) for t in f.tokens
                          if len(t) >= 3 and is_distinctive(t)})
            pairs.update(set().union(*(_bigrams(n) for n in entry.all_names if has_han(n))))
        self.words = {w for w, n in words.items() if n <= MAX_SHARED_BY}
        self.pairs = {p for p, n in pairs.items() if n <= MAX_SHARED_BY}

    def may_be_listed(self, names: Sequence[str]) -> bool:
        """The cheap screen: False for nearly every organisation, True for the few worth matching."""
        for name in names:
            if has_han(name):
                if not self.pairs.isdisjoint(_bigrams(name)):
                    return True
            elif not self.words.isdisjoint(_WORD.findall(name.casefold())):
                return True
        return False

    def identify(self, names: Sequence[str], country: str | None, entity_type: str = "company"
                 ) -> list[Identification]:
        """Entries matched strongly by any of `names`, in the same country (Hong Kong and Macau count as China)."""
        code = country_code(country)
        if code is None or not self.may_be_listed(names):
            return []
        found: dict[tuple[str, str], Identification] = {}
        kind: Kind = "person" if entity_type == "person" else "company"
        for name in names:
            for result in self.index.match(MatchQuery(name, entity_type=kind, country=code),
                                           thresholds=self.thresholds):
                entry = result.entry
                key = (entry.source, entry.entry_id)
                if (result.band == "strong" and country_status(code, country_code(entry.country)) == "agree"
                        and (key not in found or found[key].match.score < result.score)):
                    found[key] = Identification(entry, result, name)
        return sorted(found.values(), key=lambda i: (i.entry.source, i.entry.entry_id))
