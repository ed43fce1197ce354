"""A party's known relations, for `flrisk relations show` and the relations endpoints: its direct relations
(who says so, share, dates) and its paths to list entries with the rule a strong match would get."""

from __future__ import annotations

from collections import deque
from typing import Any

from service.lists.active import ActiveLists
from service.screening.matcher import MatchQuery, Thresholds
from service.screening.model import ListEntry
from service.screening.ownership import RANK, classify, path_block
from service.screening.relations import NEUTRAL, RelationGraph, RelationsView, Step, list_key

MAX_PARTIES = 10


def party(graph: RelationGraph, key: str) -> dict[str, Any]:
    org = graph.orgs[key]
    entry = graph.entries.get(key)
    return {"key": key, "name": org.name, "lei": org.lei, "country": org.country, "entity_type": org.entity_type,
            "list_entry": {"source": entry.source, "entry_id": entry.entry_id} if entry else None}


def relation(step: Step, graph: RelationGraph) -> dict[str, Any]:
    r = step.relation
    other = r.object if step.up else r.subject
    return {"relation": step.label, "kind": r.kind, "direction": "up" if step.up else "down",
            "other": party(graph, other), "source": r.source, "citation": r.citation, "share": r.share,
            "start_date": r.start, "end_date": r.end}


def paths_of(graph: RelationGraph, key: str, target: str | None = None) -> list[dict[str, Any]]:
    """Paths from `key` to list entries (to `target` only, if given), the strongest rule per entry."""
    best: dict[str, dict[str, Any]] = {}
    for path in graph.paths(key):
        if target is not None and path.target != target:
            continue
        entry = graph.entries[path.target]
        effect, rule, reason = classify(path, entry, "strong", graph)
        found = {"list_entry": {"source": entry.source, "entry_id": entry.entry_id, "name": entry.name},
                 "effect_if_strong_match": effect, "rule": rule, "reason": reason,
                 "path": path_block(path, entry, graph)}
        held = best.get(path.target)
        if held is None or RANK[effect] > RANK[held["effect_if_strong_match"]]:
            best[path.target] = found
    return list(best.values())


def describe(view: RelationsView, key: str) -> dict[str, Any]:
    graph = view.graph
    steps = graph.adjacent.get(key, [])
    found = {"party": party(graph, key), "relations": [relation(s, graph) for s in steps], "paths": []}
    if key in graph.entries:  # a list entry: the organisations whose paths end here
        found["paths"] = [p for near in _near(graph, key) for p in paths_of(graph, near, key)]
    else:
        found["paths"] = paths_of(graph, key)
    return found


def _near(graph: RelationGraph, start: str) -> list[str]:
    """External orgs within `max_hops` of a list node (neutral edges are free), nearest first."""
    hops = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for step in graph.adjacent.get(node, ()):
            other = step.relation.object if step.up else step.relation.subject
            cost = hops[node] + (0 if step.relation.kind in NEUTRAL else 1)
            if other not in hops and cost <= graph.max_hops:
                hops[other] = cost
                queue.append(other)
    return [k for k in hops if k not in graph.entries]


def find_keys(view: RelationsView, lists: ActiveLists, text: str, thresholds: Thresholds) -> list[str]:
    """Graph keys for an entry id (`uflpa-003`, or `source:entry_id`), an LEI, or a name (matched against
    the list entries and the related organisations)."""
    text = text.strip()
    graph = view.graph
    by_id = [list_key(e.source, e.entry_id) for e in lists.entries if text in (e.entry_id, f"{e.source}:{e.entry_id}")]
    if by_id:
        return by_id
    if f"lei:{text.upper()}" in graph.orgs:
        return [f"lei:{text.upper()}"]
    query = MatchQuery(text)
    keys = [list_key(r.entry.source, r.entry.entry_id) for r in lists.index.match(query, thresholds=thresholds)]
    keys += [r.entry.entry_id for r in view.index.match(query, thresholds=thresholds)]
    return list(dict.fromkeys(keys))[:MAX_PARTIES]


def entry_relations(view: RelationsView, entry: ListEntry) -> dict[str, Any]:
    return describe(view, list_key(entry.source, entry.entry_id))
