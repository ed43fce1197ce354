"""Relations between parties (ownership, branches, links) and the graph the screening walks. Pure.

A relation reads "subject KIND object": a subsidiary is `subsidiary_of` its parent, a branch `branch_of`
its head office, an owned company `owned_by` its owner (with the share when known). `same_as` ties an
external organisation (a GLEIF LEI record, an OpenSanctions entity) to the list entry it was identified as,
and `formerly` a renamed organisation to its earlier name; both are the same legal entity, so they do not
count as hops. List entries are the nodes keyed `list:<source>:<entry_id>`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from service.screening.matcher import MatchIndex
from service.screening.model import EntityType, ListEntry

RelationKind = Literal["subsidiary_of", "branch_of", "owned_by", "formerly", "linked_to", "directed_by", "same_as"]
KINDS: Final[tuple[str, ...]] = ("subsidiary_of", "branch_of", "owned_by", "formerly", "linked_to", "directed_by",
                                 "same_as")
NEUTRAL: Final = frozenset({"same_as", "formerly"})  # one legal entity: no hop
# The name of a step walked against the relation's direction (from the parent down to the subsidiary).
INVERSE: Final[dict[str, str]] = {
    "subsidiary_of": "parent_of", "branch_of": "head_office_of", "owned_by": "owner_of", "formerly": "renamed_as",
    "linked_to": "linked_to", "directed_by": "director_of", "same_as": "same_as",
}
RELATED: Final = "relations"  # source of the synthetic entries indexing related orgs; never shown as a list hit
MAX_PATHS: Final = 64  # per start node; the nearest listed entities come first
EntryRef = tuple[str, str]  # (source, entry_id)


def list_key(source: str, entry_id: str) -> str:
    return f"list:{source}:{entry_id}"


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation in a relation: a list entry, or an external one (GLEIF LEI record, FtM entity)."""

    key: str  # "lei:<LEI>", "ftm:<id>", or list_key(...) for a list entry
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    lei: str | None = None
    entity_type: EntityType = "company"


@dataclass(frozen=True, slots=True)
class Relation:
    subject: str
    object: str
    kind: RelationKind
    source: str  # who says so: "gleif", "opensanctions", a list source, or "flrisk_match" for an identification
    citation: str
    share: float | None = None  # percent, for owned_by when the source states it
    start: date | None = None
    end: date | None = None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


@dataclass(frozen=True, slots=True)
class Step:
    """One edge walked: from `node` along `relation`, upwards (towards the object) or downwards."""

    node: str
    relation: Relation
    up: bool

    @property
    def label(self) -> str:
        return self.relation.kind if self.up else INVERSE[self.relation.kind]


@dataclass(frozen=True, slots=True)
class Path:
    steps: tuple[Step, ...]
    target: str  # the list node reached

    @property
    def start(self) -> str:
        return self.steps[0].node


class RelationGraph:
    """Orgs and the relations valid today, with each node's distance (in hops) to the nearest list entry."""

    def __init__(self, orgs: Iterable[Org], relations: Iterable[Relation], entries: Mapping[EntryRef, ListEntry],
                 *, max_hops: int, today: date) -> None:
        self.orgs: dict[str, Org] = {o.key: o for o in orgs}
        for entry in entries.values():
            key = list_key(entry.source, entry.entry_id)
            self.orgs[key] = Org(key, entry.name, (*entry.aliases, *entry.chinese_names), entry.country,
                                 entity_type=entry.entity_type)
        self.entries = {list_key(*ref): entry for ref, entry in entries.items()}
        self.max_hops = max_hops
        self.adjacent: dict[str, list[Step]] = {}
        for r in relations:
            if r.subject in self.orgs and r.object in self.orgs and r.subject != r.object and r.valid_on(today):
                self.adjacent.setdefault(r.subject, []).append(Step(r.subject, r, True))
                self.adjacent.setdefault(r.object, []).append(Step(r.object, r, False))
        self.distance = self._distances()

    def _distances(self) -> dict[str, int]:
        """0-1 breadth-first search from every list node that has a relation; neutral edges cost nothing."""
        distance = {key: 0 for key in self.entries if key in self.adjacent}
        queue = deque(distance)
        while queue:
            node = queue.popleft()
            for step in self.adjacent.get(node, ()):
                other = _other(step)
                cost = distance[node] + (0 if step.relation.kind in NEUTRAL else 1)
                if cost <= self.max_hops and cost < distance.get(other, cost + 1):
                    distance[other] = cost
                    (queue.appendleft if cost == distance[node] else queue.append)(other)
        return distance

    def related_orgs(self) -> list[Org]:
        """External orgs within reach of a list entry: the names a party is matched against."""
        return [self.orgs[k] for k in self.distance if k not in self.entries]

    def paths(self, start: str) -> list[Path]:
        """Simple paths from `start` to list nodes within `max_hops` hops, nearest first."""
        if start not in self.distance:
            return []
        found: list[Path] = []
        for steps in self._walk(start, (), frozenset({start}), self.max_hops):
            found.append(Path(steps, _other(steps[-1])))
            if len(found) >= MAX_PATHS:
                break
        return sorted(found, key=lambda p: len(p.steps))

    def _walk(self, node: str, steps: tuple[Step, ...], seen: frozenset[str], budget: int
              ) -> Iterator[tuple[Step, ...]]:
        for step in self.adjacent.get(node, ()):
            other = _other(step)
            cost = 0 if step.relation.kind in NEUTRAL else 1
            left = budget - cost
            if other in seen or left < 0 or self.distance.get(other, left + 1) > left:
                continue  # a node farther from every list entry than the hops left can lead nowhere
            walked = (*steps, step)
            if other in self.entries:
                yield walked
            yield from self._walk(other, walked, seen | {other}, left)


def _other(step: Step) -> str:
    return step.relation.object if step.up else step.relation.subject


@dataclass(frozen=True)
class RelationsView:
    """What screening needs: the graph, an index over the related orgs' names, and the versions behind them."""

    graph: RelationGraph
    index: MatchIndex
    versions: dict[str, str]  # "relations:<source>" -> version label, stored with every result

    @classmethod
    def build(cls, orgs: Iterable[Org], relations: Iterable[Relation], entries: Mapping[EntryRef, ListEntry], *,
              max_hops: int, today: date, versions: Mapping[str, str] | None = None) -> RelationsView:
        graph = RelationGraph(orgs, relations, entries, max_hops=max_hops, today=today)
        synthetic = [ListEntry(source=RELATED, entry_id=o.key, name=o.name, aliases=o.aliases, country=o.country,
                               entity_type=o.entity_type, citation=RELATED) for o in graph.related_orgs()]
        return cls(graph, MatchIndex.build(synthetic), dict(versions or {}))

    @property
    def screens(self) -> bool:
        """False when no external org is related to a listed entity: screening has nothing to look for."""
        return len(self.index) > 0
