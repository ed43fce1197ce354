"""What the review pages show of a stored finding: top match, place, sectors, and the evidence detail with
names side by side (differences marked), current analyst decisions and the rebuttal checklist in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from service.refdata.loaders import load_checklist, load_sectors
from service.reports.diff import highlight_diff
from service.screening.decisions import party_key
from service.store.decisions_repo import row_key
from service.store.tables import DecisionRow

EFFECT_ORDER = {"presumption": 0, "review": 1, "elevated": 2, "informational": 3}


def matches(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """List matches and ownership paths (which name the list entry they reach)."""
    return [e for e in result.get("evidence") or [] if e.get("type") in ("list_match", "ownership")
            and e.get("list_entry")]


def top_match(result: Mapping[str, Any]) -> dict[str, Any] | None:
    found = matches(result)
    return max(found, key=lambda e: (e.get("match") or {}).get("score") or 0) if found else None


def place(result: Mapping[str, Any]) -> dict[str, Any] | None:
    return next((e["place"] for e in result.get("evidence") or [] if e.get("place")), None)


def sectors(result: Mapping[str, Any]) -> list[str]:
    """High-priority sector families of the row (FLETF), in evidence order, without repeats."""
    names = [s.get("family") or s.get("sector_id") or "?" for e in result.get("evidence") or []
             for s in e.get("sectors") or []]
    return list(dict.fromkeys(names))


def decision_for(decisions: Iterable[DecisionRow], name: str, country: str | None, source: str,
                 entry_id: str) -> DecisionRow | None:
    """The newest unrevoked decision on this exact (party, entry) pair, as the verdict engine keys it."""
    key = party_key(name, country)
    found = [d for d in decisions if row_key(d) == key and d.source == source and d.entry_id == entry_id]
    return found[-1] if found else None


def row_decisions(result: Mapping[str, Any], decisions: Sequence[DecisionRow], name: str,
                  country: str | None) -> list[DecisionRow]:
    """Current decisions on any of the row's matches."""
    found = (decision_for(decisions, name, country, e["list_entry"]["source"], e["list_entry"]["entry_id"])
             for e in matches(result))
    return [d for d in found if d is not None]


@cache
def families() -> list[str]:
    """Every high-priority sector family of the catalogue (the review page's sector filter)."""
    return sorted({row.family for row in load_sectors().sectors})


@cache
def _checklist() -> dict[str, Any]:
    return {item.id: item for item in load_checklist().items}


def checklist(ids: Iterable[str]) -> list[dict[str, Any]]:
    items = _checklist()
    return [{"id": i, "text": items[i].text if i in items else i, "category": items[i].category if i in items else "",
             "sources": list(items[i].source_keys) if i in items else []} for i in ids]


def detail(result: Mapping[str, Any], decisions: Sequence[DecisionRow], name: str,
           country: str | None) -> list[dict[str, Any]]:
    """Every evidence item, most severe first; list matches get the two names diffed and their decision."""
    items = sorted(result.get("evidence") or [], key=lambda e: EFFECT_ORDER.get(e.get("effect", ""), 9))
    views = []
    for item in items:
        view = dict(item)
        entry, match = item.get("list_entry"), item.get("match") or {}
        if entry:
            listed = match.get("matched_alias") or entry.get("name") or ""
            query = (item.get("concerns") or {}).get("name") or name
            marked_query, marked_listed = highlight_diff(str(query), str(listed))
            view["names"] = {"query": marked_query, "listed": marked_listed, "via_alias": listed != entry.get("name")}
            view["current_decision"] = decision_for(decisions, name, country, entry["source"], entry["entry_id"])
        views.append(view)
    return views
