"""OpenSanctions FollowTheMoney entities (`entities.ftm.json`): one JSON object per line.

Company, Organization, LegalEntity and Person entities become entries (other schemata are counted
and skipped; Address entities are used to resolve `addressEntity` references). `name` is the first
non-Han `name`; the other names, `alias`, `previousName` and `weakAlias` are aliases, except names
in Han script, which go to `chinese_names` only. The caller's `source` decides `ListEntry.source`
(e.g. OpenSanctions' `us_dhs_uflpa` dataset loaded as `uflpa_entity_list`).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.lists.errors import ListFormatError
from service.lists.parsers.common import split_han
from service.screening.model import ListEntry
from service.screening.vocabulary import EntityType

log = logging.getLogger(__name__)
KEPT: dict[str, EntityType] = {
    "Company": "company", "Organization": "organization", "LegalEntity": "unknown", "Person": "person",
}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")


@dataclass(frozen=True, slots=True)
class FtmResult:
    entries: list[ListEntry]
    skipped: dict[str, int]  # schema → number of entities not kept


@dataclass(frozen=True, slots=True)
class _Entity:
    line: int
    id: str
    schema: str
    props: dict[str, list[str]]
    raw: dict[str, Any]


def looks_like_ftm(first_line: str) -> bool:
    return '"schema"' in first_line and '"properties"' in first_line


def parse_ftm(text: str, *, source: str, file: str) -> list[ListEntry]:
    result = read_ftm(text, source=source, file=file)
    if result.skipped:
        log.info("%s: skipped entities by schema: %s", file, result.skipped)
    return result.entries


def read_ftm(text: str, *, source: str, file: str) -> FtmResult:
    """Parse every line; refuses a cut-off or malformed line naming its number."""
    entities = [_entity(raw, file=file, line=n) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    if not entities:
        raise ListFormatError(file, "no entities in the file")
    addresses = {e.id: e.props for e in entities if e.schema == "Address"}
    entries: list[ListEntry] = []
    seen: set[str] = set()
    skipped: Counter[str] = Counter()
    for e in entities:
        if e.schema not in KEPT:
            skipped[e.schema] += 1
            continue
        if e.id in seen:
            raise ListFormatError(file, f"duplicate id {e.id!r}", line=e.line, column="id")
        seen.add(e.id)
        entries.append(_entry(e, addresses, source=source, file=file))
    return FtmResult(entries, dict(skipped))


def _entity(raw: str, *, file: str, line: int) -> _Entity:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ListFormatError(file, f"invalid JSON ({exc.msg} at character {exc.colno}); the line may be "
                              "cut off", line=line) from exc
    if not isinstance(obj, dict):
        raise ListFormatError(file, "line is not a JSON object", line=line)
    for key in ("id", "schema"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise ListFormatError(file, f"missing or empty {key}", line=line, column=key)
    props = obj.get("properties")
    if not isinstance(props, dict):
        raise ListFormatError(file, "properties must be an object", line=line, column="properties")
    for key, values in props.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ListFormatError(file, f"property {key} must be a list of strings", line=line,
                                  column=f"properties.{key}")
    return _Entity(line, obj["id"], obj["schema"], props, obj)


def _entry(e: _Entity, addresses: dict[str, dict[str, list[str]]], *, source: str, file: str) -> ListEntry:
    p = e.props
    if not p.get("name"):
        raise ListFormatError(file, f"{e.schema} has no name", line=e.line, column="properties.name")
    others, han = split_han([n.strip() for prop in NAME_PROPS for n in p.get(prop, [])])
    primary = next((n for n in p["name"] if n in others), p["name"][0].strip())
    countries = [c.upper() for c in (*p.get("country", []), *p.get("jurisdiction", []))
                 if len(c) == 2 and c.isalpha()]
    linked = [addresses[a] for a in p.get("addressEntity", []) if a in addresses]
    datasets = [d for d in e.raw.get("datasets", []) if isinstance(d, str)]
    extra = {"schema": e.schema, "datasets": "; ".join(datasets), "topics": "; ".join(p.get("topics", []))}
    if len(set(countries)) > 1:
        extra["countries"] = "; ".join(dict.fromkeys(countries))
    return ListEntry(
        source=source,
        entry_id=e.id,
        name=primary,
        entity_type=KEPT[e.schema],
        aliases=tuple(n for n in others if n != primary),
        chinese_names=tuple(n for n in han if n != primary),
        addresses=tuple(dict.fromkeys([*p.get("address", []), *(_full(a) for a in linked)])),
        city=next((c for a in linked for c in a.get("city", [])), None),
        country=countries[0] if countries else None,
        date_listed=_listed(e, file=file),
        citation=next(iter(p.get("sourceUrl", [])), None) or _dataset_citation(datasets),
        remarks=" ".join(p.get("notes", [])) or None,
        program="; ".join(dict.fromkeys([*p.get("program", []), *p.get("programId", [])])) or None,
        extra={k: v for k, v in extra.items() if v},
    )


def _dataset_citation(datasets: list[str]) -> str | None:
    return "OpenSanctions " + ", ".join(datasets) if datasets else None


def _full(address: dict[str, list[str]]) -> str:
    if address.get("full"):
        return address["full"][0]
    parts = ("street", "city", "postalCode", "country")
    return ", ".join(address[k][0] for k in parts if address.get(k))


def _listed(e: _Entity, *, file: str) -> date | None:
    """`createdAt` (may be partial, e.g. "2019") else the `first_seen` timestamp's date."""
    for value in e.props.get("createdAt", []):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            continue
    first_seen = e.raw.get("first_seen")
    if not first_seen:
        return None
    try:
        return date.fromisoformat(str(first_seen)[:10])
    except ValueError as exc:
        raise ListFormatError(file, f"first_seen {first_seen!r} is not an ISO date", line=e.line,
                              column="first_seen") from exc
