"""Which external organisations (GLEIF LEI records, FtM entities) are list entries: a strong name match with
the same country.

Millions of LEI records go by, so a cheap screen comes first: a record is matched only when one of its names
carries a distinctive word (for a name in Han script, in its pinyin or translated form) that some entry's
names carry and few entries share. Generic words (Xinjiang, Industry, Co) never pass the screen on their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service.screening.chinese import han_forms, has_han
from service.screening.matcher import Kind, MatchIndex, MatchQuery, MatchResult, Thresholds
from service.screening.model import ListEntry
from service.screening.normalize import country_code, country_status
from service.screening.scoring import compute_forms, is_distinctive

GREATER_CHINA = frozenset({"CN", "HK", "MO"})  # the same country for the matcher too (country_status)
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


def _han_words(name: str) -> set[str]:
    """The words of a Han-script name's pinyin and translated forms (合盛硅业 -> hesheng, guiye, silicon...)."""
    return {t for form in han_forms(name) for t in form.tokens}


def _telling(token: str) -> bool:
    """Distinctive, also in its plural: the glossary lists "electronics", names are reduced to "electronic"."""
    return len(token) >= 3 and is_distinctive(token) and is_distinctive(token + "s")


class Identifier:
    """Finds the list entries an external organisation is, from its names and country."""

    def __init__(self, entries: Iterable[ListEntry], thresholds: Thresholds | None = None,
                 index: MatchIndex | None = None) -> None:
        """`index`: the active lists' own index over the same entries, when there is one (saves a build)."""
        self.entries = [e for e in entries if e.match_by_name]
        self.index = index or MatchIndex.build(self.entries)
        self.thresholds = thresholds or Thresholds()
        words: Counter[str] = Counter()
        for entry in self.entries:
            words.update({t for n in entry.all_names for f in compute_forms(n) for t in f.tokens if _telling(t)})
        self.words = {w for w, n in words.items() if n <= MAX_SHARED_BY}
        self.countries = {c for e in self.entries if (c := country_code(e.country))}
        if self.countries & GREATER_CHINA:
            self.countries |= GREATER_CHINA

    def may_be_listed(self, names: Sequence[str], country: str | None) -> bool:
        """The cheap screen: False for nearly every organisation, True for the few worth matching."""
        if country_code(country) not in self.countries:
            return False
        for name in names:
            words = _han_words(name) if has_han(name) else _WORD.findall(name.casefold())
            if not self.words.isdisjoint(words):
                return True
        return False

    def identify(self, names: Sequence[str], country: str | None, entity_type: str = "company"
                 ) -> list[Identification]:
        """Entries matched strongly by any of `names`, in the same country (Hong Kong and Macau count as China)."""
        code = country_code(country)
        if code is None or not self.may_be_listed(names, code):
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
