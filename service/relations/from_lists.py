"""Relations the lists state themselves, derived from the active list versions (so versioned with them).

- A subsidiary named in a listing's name cell is its own entry with `extra["parent_entry_id"]`: it is
  `subsidiary_of` that entry.
- OFAC and CSL remarks "Linked To: NAME." tie an entry to another designated party of that name: a link
  (`linked_to`), which is never more than a reason to review.
The group wording itself (`extra["listing_scope"]`: "and subsidiaries", "and its subordinates") stays on the
entry; the screening reads it when a path reaches the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from service.screening.decisions import party_key
from service.screening.model import ListEntry
from service.screening.relations import Relation, list_key

_LINKED_TO = re.compile(r"Linked To:\s*([^;]+?)\s*(?:;|\.?\s*$)", re.IGNORECASE)


def list_relations(entries: Iterable[ListEntry]) -> list[Relation]:
    entries = list(entries)
    by_id = {(e.source, e.entry_id) for e in entries}
    by_name: dict[tuple[str, str], list[ListEntry]] = {}
    for e in entries:
        for name in e.all_names:
            by_name.setdefault((e.source, party_key(name, None)), []).append(e)
    relations: list[Relation] = []
    for entry in entries:
        relations.extend(_parents(entry, by_id))
        relations.extend(_links(entry, by_name))
    return relations


def _parents(entry: ListEntry, known: set[tuple[str, str]]) -> Iterator[Relation]:
    parent = entry.extra.get("parent_entry_id")
    if parent and parent != entry.entry_id and (entry.source, parent) in known:
        yield Relation(list_key(entry.source, entry.entry_id), list_key(entry.source, parent), "subsidiary_of",
                       entry.source, f"{entry.citation or entry.source}: named as a subsidiary in the listing of "
                                     f"entry {parent}")


def _links(entry: ListEntry, by_name: dict[tuple[str, str], list[ListEntry]]) -> Iterator[Relation]:
    for name in _LINKED_TO.findall(entry.remarks or ""):
        for target in by_name.get((entry.source, party_key(name, None)), []):
            if target.entry_id != entry.entry_id:
                yield Relation(list_key(entry.source, entry.entry_id), list_key(target.source, target.entry_id),
                               "linked_to", entry.source,
                               f"{entry.citation or entry.source}: remarks 'Linked To: {name}'")
