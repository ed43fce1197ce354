"""One entity on several lists: link the entries of different sources that name the same entity.

XPCC is on the UFLPA Entity List, a CBP order, the SDN list and the BIS Entity List; each entry carries other
names (only the CBP and UFLPA ones have "XPCC", only some have 新疆生产建设兵团). Entries are linked when they
share a normalised name or alias (legal forms aside: "Co., Ltd." and ", Co. Ltd" are one name) or a Chinese
name (its core without the legal suffix), so a name known on any of them reaches all of them.

Links are computed from the entries alone, whenever the active list view is built, so they always belong to
that set of list versions. Two entries of one source are never put in one group (a source lists an entity once),
persons are never linked by name (namesakes are common), and two known, different countries keep entries apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Final

from service.screening.glossary import PLACE_TOKENS
from service.screening.model import ListEntry
from service.screening.normalize import NameForm, country_code, country_status

MIN_KEY_LETTERS: Final = 4  # a shared name this short ("ABC") is no evidence of one entity
MIN_HAN_CORE: Final = 3


FormsOf = Callable[[str], tuple[NameForm, ...]]  # a name's comparable forms (computed once by the index)


def name_keys(entry: ListEntry, forms_of: FormsOf) -> Iterator[str]:
    """The normalised forms of every name of an entry that identify it across sources."""
    for name in entry.all_names:
        forms = forms_of(name)
        if not forms:
            continue
        if forms[0].han:
            core = forms[0].han
            if len(core) >= MIN_HAN_CORE:
                yield "han:" + core
            continue
        form = forms[0]
        if sum(map(len, form.tokens)) >= MIN_KEY_LETTERS:
            yield " ".join(form.tokens)
        if form.soft and form.soft.isdisjoint(PLACE_TOKENS):  # "(VSETC)", not "(Shanshan)": a parent's place
            yield " ".join(t for t in form.tokens if t not in form.soft)


def _linkable(entry: ListEntry) -> bool:
    return entry.entity_type not in {"person", "vessel"} and entry.match_by_name


class _Groups:
    """Union-find over entry numbers that refuses a union putting two entries of one source together. Sources
    and countries are kept as sets only for merged groups: most entries are never linked."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = entries
        self.parent = list(range(len(entries)))
        self.merged: dict[int, tuple[set[str], set[str]]] = {}  # root -> (sources, countries)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _facts(self, root: int) -> tuple[set[str], set[str]]:
        found = self.merged.get(root)
        if found is None:
            entry = self.entries[root]
            country = country_code(entry.country)
            found = ({entry.source}, {country} if country else set())
        return found

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        (sa, ca), (sb, cb) = self._facts(ra), self._facts(rb)
        if not sa.isdisjoint(sb) or any(country_status(x, y) == "conflict" for x in ca for y in cb):
            return
        self.parent[rb] = ra
        self.merged[ra] = (sa | sb, ca | cb)
        self.merged.pop(rb, None)


def link_groups(entries: Sequence[ListEntry], forms_of: FormsOf) -> list[tuple[int, ...]]:
    """Groups of entry numbers, each one entity; every entry is in exactly one group, in entry order."""
    groups = _Groups(entries)
    first: dict[str, int] = {}
    for number, entry in enumerate(entries):
        if not _linkable(entry):
            continue
        for key in dict.fromkeys(name_keys(entry, forms_of)):
            seen = first.setdefault(key, number)
            if seen != number:
                groups.union(seen, number)
    members: dict[int, list[int]] = {}
    for number in range(len(entries)):
        members.setdefault(groups.find(number), []).append(number)
    return sorted((tuple(m) for m in members.values()), key=lambda g: g[0])
