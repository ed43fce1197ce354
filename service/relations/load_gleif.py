"""GLEIF Level 1 + Level 2 files to relations around the listed entities, in bounded memory.

Pass 1 over the LEI records finds the listed entities' LEIs (names matched against the lists, same
country); one pass over the relationship records per hop keeps the active relationships within `hops`
of them; a last pass over the LEI records fetches the names of the organisations kept. Inactive
relationships, fund relationships and inactive (ceased) entities are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from service.relations.expand import within_hops
from service.relations.gleif import RR_KINDS, LeiRecord, RrRecord, lei_records, rr_records
from service.relations.identify import Identification, Identifier
from service.relations.model import GLEIF, IDENTIFIED_BY, Loaded
from service.screening.relations import Org, Relation, RelationKind, list_key

_DATED = re.compile(r"^(\d{4})(\d{2})(\d{2})-")  # 20261201-0800-gleif-goldencopy-...


def load_gleif(lei_path: Path, rr_path: Path, identifier: Identifier, *, hops: int) -> Loaded:
    listed: dict[str, list[Identification]] = {}
    records = 0
    for record in lei_records(lei_path):
        records += 1
        found = identifier.identify(record.names, record.country) if record.status != "INACTIVE" else []
        if found:
            listed[record.lei] = found
    kept = within_hops(listed, lambda: _active(rr_path), lambda r: (r.start, r.end),
                       lambda r: (r.start, r.end, r.type), hops)
    needed = set(listed).union(*((r.start, r.end) for r in kept))
    orgs = {r.lei: _org(r) for r in lei_records(lei_path) if r.lei in needed and r.status != "INACTIVE"}
    relations = [_relation(r, rr_path.name) for r in kept if r.start in orgs and r.end in orgs]
    relations += [Relation(f"lei:{lei}", list_key(i.entry.source, i.entry.entry_id), "same_as", IDENTIFIED_BY,
                           i.describe(f"GLEIF LEI record {lei}"))
                  for lei, found in listed.items() if lei in orgs for i in found]
    used = {k for r in relations for k in (r.subject, r.object)}
    return Loaded(GLEIF, [o for o in orgs.values() if o.key in used], _unique(relations),
                  {"LEI records read": records, "listed LEIs found": len(listed)}, _snapshot_date(lei_path))


def _active(path: Path) -> Iterator[RrRecord]:
    today = date.today()
    for r in rr_records(path):
        ended = r.valid_to is not None and r.valid_to < today
        if r.status == "ACTIVE" and r.type in RR_KINDS and r.start != r.end and not ended:
            yield r


def _org(record: LeiRecord) -> Org:
    return Org(f"lei:{record.lei}", record.names[0], record.names[1:], record.country, record.lei)


def _relation(r: RrRecord, file: str) -> Relation:
    kind: RelationKind = "branch_of" if RR_KINDS[r.type] == "branch_of" else "subsidiary_of"
    period = f", relationship period from {r.valid_from}" if r.valid_from else ""
    return Relation(
        f"lei:{r.start}", f"lei:{r.end}", kind, GLEIF,
        f"GLEIF Level 2 relationship record ({file}, line {r.line}): {r.start} {r.type} {r.end}; status ACTIVE"
        f"{period}; registration {r.registration or 'not stated'}, validation {r.validation or 'not stated'}, "
        f"last update {r.updated[:10] or 'not stated'}",
        share=r.share, start=r.valid_from, end=r.valid_to)


def _unique(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, object, kind): a direct parent that is also the ultimate one is one edge."""
    seen: dict[tuple[str, str, str], Relation] = {}
    for r in relations:
        seen.setdefault((r.subject, r.object, r.kind), r)
    return list(seen.values())


def _snapshot_date(path: Path) -> str | None:
    found = _DATED.match(path.name)
    return f"{found.group(1)}-{found.group(2)}-{found.group(3)}" if found else None
