"""A result's reason in one line, for a results file, a review table or a CI log. Pure.

"UFLPA Entity List: Hoshine Silicon Industry (Shanshan) Co., Ltd, score 0.97; Xinjiang address: Shanshan
County": the items that weigh in the verdict, most severe first, each named by what it is and what it found;
a match an analyst cleared says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.screening.verdict import CLEAR_SUMMARY as CLEAR

MAX_ITEMS = 3
SOURCES = {"uflpa_entity_list": "UFLPA Entity List", "cbp_wro": "CBP withhold release order",
           "ofac_sdn": "OFAC SDN", "bis_entity_list": "BIS Entity List",
           "trade_gov_csl": "Consolidated Screening List", "opensanctions": "OpenSanctions"}
_RANK = {"presumption": 0, "review": 1, "elevated": 2, "informational": 3}


def reason(evidence: Sequence[Mapping[str, Any]]) -> str:
    """The items that weigh in the verdict (and matches cleared by a decision), at most three, in one line."""
    shown = [e for e in evidence if e.get("effect") != "informational" or _decided(e)]
    shown.sort(key=lambda e: _RANK.get(str(e.get("effect")), 9))
    if not shown:
        return CLEAR
    parts = _merged(list(dict.fromkeys(_phrase(e) for e in shown)))
    more = f" (+{len(parts) - MAX_ITEMS} more)" if len(parts) > MAX_ITEMS else ""
    return "; ".join(parts[:MAX_ITEMS]) + more


def _merged(parts: list[str]) -> list[str]:
    """Places found in one party's address (or one origin) in one phrase: "Xinjiang address: Shanshan, Turpan"."""
    merged: dict[str, list[str]] = {}
    for part in parts:
        head, _, place = part.partition(": ")
        key = head if head.startswith("Xinjiang ") and place else part
        merged.setdefault(key, []).append(place if key == head else part)
    return [f"{key}: {', '.join(places)}" if key.startswith("Xinjiang ") and places[0] != key else places[0]
            for key, places in merged.items()]


def _decided(item: Mapping[str, Any]) -> bool:
    decision = item.get("decision")
    return isinstance(decision, Mapping) and decision.get("status") == "applied"


def _phrase(item: Mapping[str, Any]) -> str:
    kind, concerns = item.get("type"), item.get("concerns") or {}
    entry, place = item.get("list_entry") or {}, item.get("place") or {}
    if entry and kind != "region_order":
        score = (item.get("match") or {}).get("score")
        source = str(entry.get("source"))
        text = f"{SOURCES.get(source, source)}: {entry.get('name')}"
        text += f", score {score:.2f}" if isinstance(score, int | float) else ""
        decision = item.get("decision") or {}
        if _decided(item):
            verb = "cleared as a false positive" if decision.get("decision") == "false_positive" else "confirmed"
            text += f" ({verb} by {decision.get('analyst')})"
        return text if kind == "list_match" else f"{text} ({str(kind).replace('_', ' ')})"
    if kind == "region_order":
        return f"{SOURCES['cbp_wro']}: {entry.get('name')}"
    if kind == "xinjiang_location":
        what = "address" if "role" in concerns else f"input origin ({concerns['material']})" \
            if "material" in concerns else "origin of the goods"
        return f"Xinjiang {what}: {place.get('name')}"
    if kind == "xinjiang_name":
        return f"Xinjiang place in the name: {place.get('name')}"
    if kind == "product_claim":
        return f"Xinjiang origin claimed: {place.get('name')}"
    if kind == "sector_exposure":
        sectors = ", ".join(str(s.get("name") or s.get("sector_id")) for s in item.get("sectors") or [])
        return f"high-priority sector {sectors}, exposure {(item.get('exposure') or {}).get('score')}/100"
    return str(item.get("summary", ""))
