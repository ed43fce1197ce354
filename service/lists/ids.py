"""Stable entry ids across list versions.

Analyst decisions, evidence and alerts point at `(source, entry_id)`. Parsers of the official
publications (the DHS page, the CBP dataset) have no upstream ids, so they give provisional ids
built from content (`dhs:hoshine-silicon-industry-shanshan-co-ltd`). `carry_ids` then gives every
entry of a new version that is the same entity as an entry of the active version that entry's id:

1. an entry whose id the active version already uses keeps it (upstream ids: OFAC ent_num, CSL ids);
2. else the active entry with the same normalised primary name, then one sharing a normalised name
   or alias, whose id no new entry holds yet (first come, in file order);
3. else a provisional id becomes the next free number of the active version's numbered scheme
   (`uflpa-150` after `uflpa-149`), or stays as it is when the active version has no such scheme;
   an id given by the upstream or the user (not provisional) is never renamed.

References between entries (`extra` keys ending in `entry_id` / `entry_ids`) follow the renaming.
An entity that was tied to Xinjiang stays tied (as `tag_xinjiang` never un-tags): the official CBP
dataset names "Hetian Taida Apparel" without saying Xinjiang, and a sync must not drop the tie.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence

from service.screening.model import ListEntry
from service.screening.normalize import fold

PROVISIONAL = re.compile(r"^(?:dhs|cbp):")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_SLUG = re.compile(r"[^a-z0-9]+")


def provisional_id(kind: str, *parts: str) -> str:
    """`provisional_id("dhs", "Hoshine Silicon Industry (Shanshan) Co., Ltd")` → `dhs:hoshine-silicon-…`."""
    slug = "-".join(_SLUG.sub("-", fold(p)).strip("-") for p in parts if p)
    return f"{kind}:{slug[:150]}"


def unique_ids(ids: Sequence[str]) -> list[str]:
    """The ids with `~2`, `~3`... appended to repeats, in order (two names that slug alike)."""
    seen: set[str] = set()
    out = []
    for base in ids:
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}~{n}", n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def carry_ids(new_entries: Sequence[ListEntry], previous_entries: Sequence[ListEntry]) -> list[ListEntry]:
    """The new entries with the ids of the same entities in `previous_entries` (see the module doc)."""
    if not previous_entries:
        return list(new_entries)
    renamed = _assign(new_entries, previous_entries)
    linked = {e.entry_id for e in previous_entries if e.xinjiang_linked}
    if all(renamed[i] == e.entry_id and (e.xinjiang_linked or e.entry_id not in linked)
           for i, e in enumerate(new_entries)):
        return list(new_entries)
    mapping = {e.entry_id: renamed[i] for i, e in enumerate(new_entries)}
    return [dataclasses.replace(e, entry_id=renamed[i], extra=_remap(e.extra, mapping),
                                xinjiang_linked=e.xinjiang_linked or renamed[i] in linked)
            for i, e in enumerate(new_entries)]


def _assign(new: Sequence[ListEntry], old: Sequence[ListEntry]) -> dict[int, str]:
    old_ids = {e.entry_id for e in old}
    ids: dict[int, str] = {i: e.entry_id for i, e in enumerate(new) if e.entry_id in old_ids}
    taken = set(ids.values())
    by_name = _index(old, primary_only=True)
    by_any = _index(old, primary_only=False)
    for pass_index, primary_only in ((by_name, True), (by_any, False)):
        for i, entry in enumerate(new):
            if i in ids:
                continue
            keys = [fold(entry.name)] if primary_only else [fold(n) for n in entry.all_names]
            found = next((old_id for k in keys for old_id in pass_index.get(k, ()) if old_id not in taken), None)
            if found is not None:
                ids[i] = found
                taken.add(found)
    scheme = _scheme(old)
    number = _highest(scheme, taken | old_ids) if scheme else 0
    for i, entry in enumerate(new):
        if i not in ids:
            if scheme and PROVISIONAL.match(entry.entry_id):
                number += 1
                ids[i] = f"{scheme[0]}{number:0{scheme[1]}d}"
            else:
                ids[i] = entry.entry_id
    return ids


def _index(entries: Sequence[ListEntry], *, primary_only: bool) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for e in entries:
        for name in [e.name] if primary_only else e.all_names:
            key = fold(name)
            if key and e.entry_id not in index.setdefault(key, []):
                index[key].append(e.entry_id)
    return index


def _scheme(entries: Sequence[ListEntry]) -> tuple[str, int] | None:
    """(prefix, digits) when most ids of the version read like `uflpa-001`."""
    shapes = Counter((m.group(1), len(m.group(2))) for e in entries if (m := _NUMBERED.match(e.entry_id))
                     and m.group(1))
    if not shapes:
        return None
    shape, count = shapes.most_common(1)[0]
    return shape if count * 2 > len(entries) else None


def _highest(scheme: tuple[str, int], used: set[str]) -> int:
    numbers = [int(m.group(2)) for u in used if (m := _NUMBERED.match(u)) and m.group(1) == scheme[0]]
    return max(numbers, default=0)


def _remap(extra: dict[str, str], mapping: dict[str, str]) -> dict[str, str]:
    out = dict(extra)
    for key, value in extra.items():
        if key.endswith("entry_id"):
            out[key] = mapping.get(value, value)
        elif key.endswith("entry_ids"):
            out[key] = "; ".join(mapping.get(v.strip(), v.strip()) for v in value.split(";"))
    return out
