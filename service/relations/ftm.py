"""OpenSanctions FollowTheMoney relations, streamed: `Ownership` (owner, asset, percentage), `UnknownLink`
(subject, object, role) and `Directorship` (director, organization, role) entities, and the Company,
Organization, LegalEntity, PublicBody and Person entities they join.

The file (JSON lines) is read once per pass like the GLEIF files, and only lines naming a link schema are
decoded in the link passes. An entity is a list entry when its id is an entry's id (a list loaded from the
same OpenSanctions export) or when its name matches an entry strongly in the same country.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from service.relations.errors import RelationsFormatError
from service.relations.expand import within_hops
from service.relations.identify import Identifier
from service.relations.model import IDENTIFIED_BY, OPENSANCTIONS, Loaded
from service.screening.chinese import has_han
from service.screening.model import EntityType, ListEntry
from service.screening.relations import Org, Relation, RelationKind, list_key

NODES: dict[str, EntityType] = {"Company": "company", "Organization": "organization", "LegalEntity": "company",
                                "PublicBody": "organization", "Person": "person"}
# schema -> (property of the subject, property of the object, kind): "asset owned_by owner".
LINKS: dict[str, tuple[str, str, RelationKind]] = {
    "Ownership": ("asset", "owner", "owned_by"), "UnknownLink": ("subject", "object", "linked_to"),
    "Directorship": ("organization", "director", "directed_by"),
}
_LINK_LINE = re.compile(r'"schema"\s*:\s*"(?:Ownership|UnknownLink|Directorship)"')
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class FtmLink:
    id: str
    subject: str
    object: str
    kind: RelationKind
    citation: str
    share: float | None
    start: date | None
    end: date | None


def looks_like_ftm(head: str) -> bool:
    return '"schema"' in head and '"properties"' in head


def _entities(path: Path, wanted: re.Pattern[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or (wanted is not None and not wanted.search(line)):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RelationsFormatError(path.name, f"invalid JSON ({exc.msg}); the line may be cut off",
                                           line=n) from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(
                    obj.get("properties"), dict):
                raise RelationsFormatError(path.name, "not an FtM entity (id, schema, properties)", line=n)
            yield n, obj


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    """A property's values; entity references may be ids or nested entities (some exports nest them)."""
    found = []
    for value in props.get(key) or []:
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    return found


def links(path: Path) -> Iterator[FtmLink]:
    for n, obj in _entities(path, _LINK_LINE):
        spec = LINKS.get(str(obj.get("schema")))
        if spec is None:
            continue
        props = obj["properties"]
        cite = _citation(obj, path.name, n)
        share = _percent(_values(props, "percentage")) if spec[2] == "owned_by" else None
        start, end = _date(_values(props, "startDate")), _date(_values(props, "endDate"))
        for subject in _values(props, spec[0]):
            for other in _values(props, spec[1]):
                yield FtmLink(obj["id"], subject, other, spec[2], cite, share, start, end)


def _citation(obj: dict[str, Any], file: str, line: int) -> str:
    props = obj["properties"]
    datasets = ", ".join(d for d in obj.get("datasets") or [] if isinstance(d, str))
    role = "; ".join(_values(props, "role"))
    url = next(iter(_values(props, "sourceUrl")), "")
    return (f"OpenSanctions FtM {obj.get('schema')} {obj['id']} ({file}, line {line})"
            + (f", datasets {datasets}" if datasets else "") + (f", role {role!r}" if role else "")
            + (f", {url}" if url else ""))


def _percent(values: Sequence[str]) -> float | None:
    """The first figure ("60", "60%", "50.5 %"); of a range ("25-50%") the lower bound, the safe side."""
    for value in values:
        found = _NUMBER.search(value)
        if found:
            return float(found.group().replace(",", "."))
    return None


def _date(values: Sequence[str]) -> date | None:
    for value in values:
        text = value[:10] + ("-01-01" if len(value) == 4 else "-01" if len(value) == 7 else "")
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            continue
    return None


def _org(obj: dict[str, Any]) -> Org | None:
    schema = str(obj.get("schema"))
    if schema not in NODES:
        return None
    props = obj["properties"]
    names = list(dict.fromkeys(_values(props, "name") + _values(props, "alias") + _values(props, "previousName")))
    if not names:
        return None
    primary = next((n for n in names if not has_han(n)), names[0])
    countries = [c.upper() for c in _values(props, "country") + _values(props, "jurisdiction") if len(c) == 2]
    return Org(f"ftm:{obj['id']}", primary, tuple(n for n in names if n != primary),
               countries[0] if countries else None, next(iter(_values(props, "leiCode")), None), NODES[schema])


def load_ftm(path: Path, identifier: Identifier, *, hops: int) -> Loaded:
    by_id: dict[str, list[ListEntry]] = {}
    for entry in identifier.entries:
        by_id.setdefault(entry.entry_id, []).append(entry)
    listed: dict[str, list[tuple[ListEntry, str, str]]] = {}
    read = 0
    for _, obj in _entities(path):
        read += 1
        org = _org(obj)
        if org is not None:
            found = _identify(obj["id"], org, identifier, by_id)
            if found:
                listed[org.key] = found
    kept = within_hops(listed, lambda: (_keyed(link) for link in links(path)), lambda k: (k.subject, k.object),
                       lambda k: (k.id, k.subject, k.object), hops)
    needed = set(listed).union(*((k.subject, k.object) for k in kept))
    orgs = {o.key: o for _, obj in _entities(path) if (o := _org(obj)) is not None and o.key in needed}
    relations = [Relation(k.subject, k.object, k.kind, OPENSANCTIONS, k.citation, k.share, k.start, k.end)
                 for k in kept if k.subject in orgs and k.object in orgs]
    relations += [Relation(key, list_key(e.source, e.entry_id), "same_as", who, why)
                  for key, found in listed.items() if key in orgs for e, why, who in found]
    used = {k for r in relations for k in (r.subject, r.object)}
    return Loaded(OPENSANCTIONS, [o for o in orgs.values() if o.key in used], relations,
                  {"FtM entities read": read, "listed entities found": len(listed)})


def _keyed(link: FtmLink) -> FtmLink:
    return FtmLink(link.id, f"ftm:{link.subject}", f"ftm:{link.object}", link.kind, link.citation, link.share,
                   link.start, link.end)


def _identify(ftm_id: str, org: Org, identifier: Identifier, by_id: Mapping[str, list[ListEntry]]
              ) -> list[tuple[ListEntry, str, str]]:
    """(entry, why, who says so): the same OpenSanctions id, else a strong name match in the same country."""
    same = by_id.get(ftm_id)
    if same:
        return [(e, f"same OpenSanctions entity id {ftm_id} as {e.source} entry {e.entry_id}", OPENSANCTIONS)
                for e in same]
    found = identifier.identify((org.name, *org.aliases), org.country, org.entity_type)
    return [(i.entry, i.describe(f"OpenSanctions entity {ftm_id}"), IDENTIFIED_BY) for i in found]
