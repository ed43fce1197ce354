"""Analyst decisions applied to stored evidence: what a screened batch row shows once a decision is recorded
or withdrawn, without screening it again. Pure.

A batch row keeps its evidence as screened (no decision applied) and the decisions in force on its matches;
`apply` turns the two into the evidence, verdict, risk score and summary the row shows now. A decision in
force whose entry is unchanged (`status` "applied") works as in the verdict engine: a false positive makes
the match informational (kept in the evidence, no longer driving the verdict), a confirmation only says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.screening.decisions import decided_summary
from service.screening.evidence import Evidence
from service.screening.verdict import judge

_BASE_KEYS = ("type", "effect", "concerns", "summary", "consequence")
# Key of a decision block on a row: the list entry and the party (JSON pointer) it was recorded for.
BlockKey = tuple[str, str, str]


@dataclass(frozen=True)
class Applied:
    verdict: str
    risk_score: int
    summary: str
    evidence: list[dict[str, Any]]
    changed_by: list[str]  # ids of the decisions that took a match out of the verdict


def block_key(item: Mapping[str, Any]) -> BlockKey | None:
    """(source, entry id, party pointer) of an evidence item about a party and a list entry (what a decision
    is on); None for other items, such as a region-wide order on a goods line."""
    entry, concerns = item.get("list_entry"), item.get("concerns") or {}
    if not isinstance(entry, Mapping) or "role" not in concerns:
        return None
    return str(entry.get("source")), str(entry.get("entry_id")), str(concerns.get("pointer"))


def decision_blocks(evidence: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The decisions the verdict engine attached to evidence it made, each with the item's key."""
    found = {}
    for item in evidence:
        key, block = block_key(item), item.get("decision")
        if key is not None and isinstance(block, Mapping):
            found[key] = {**block, "source": key[0], "entry_id": key[1], "pointer": key[2]}
    return list(found.values())


def strength_of(item: Mapping[str, Any]) -> float:
    """An item's weight inside its effect band: stored with the item; for items stored before it was, the
    engine's own measure (match score, exposure score) or full weight."""
    stored = item.get("strength")
    if isinstance(stored, int | float):
        return float(stored)
    if isinstance(item.get("match"), Mapping):
        return float(item["match"].get("score") or 0.0)
    if isinstance(item.get("exposure"), Mapping):
        return float(item["exposure"].get("score") or 0) / 100
    return 1.0


def to_evidence(item: Mapping[str, Any]) -> Evidence:
    blocks = {k: v for k, v in item.items() if k not in _BASE_KEYS and k != "strength"}
    return Evidence(type=item["type"], effect=item["effect"], concerns=dict(item.get("concerns") or {}),
                    summary=item["summary"], consequence=item.get("consequence"), blocks=blocks,
                    strength=strength_of(item))


def stored(item: Evidence) -> dict[str, Any]:
    """An evidence item as a batch row stores it: with its strength, so decisions can be applied later."""
    return {**item.to_dict(), "strength": item.strength}


def apply(evidence: Sequence[Mapping[str, Any]], blocks: Sequence[Mapping[str, Any]]) -> Applied:
    """The evidence as screened with the decision `blocks` (each with source, entry_id, pointer) applied."""
    by_key = {(str(b["source"]), str(b["entry_id"]), str(b["pointer"])): b for b in blocks}
    items: list[Evidence] = []
    changed: list[str] = []
    for raw in evidence:
        item = to_evidence({k: v for k, v in raw.items() if k != "decision"})
        key = block_key(raw)
        block = by_key.get(key) if key is not None else None
        if block is not None:
            item = _decided(item, block)
            if item.effect == "informational" and raw["effect"] != "informational":
                changed.append(str(block["id"]))
        items.append(item)
    outcome = judge(items)
    return Applied(outcome.verdict, outcome.risk_score, outcome.summary, [stored(e) for e in outcome.evidence],
                   list(dict.fromkeys(changed)))


def _decided(item: Evidence, block: Mapping[str, Any]) -> Evidence:
    public = {k: v for k, v in block.items() if k not in ("source", "entry_id", "pointer")}
    blocks = {**item.blocks, "decision": public}
    if block.get("status") != "applied":
        return Evidence(item.type, item.effect, item.concerns, item.summary, item.consequence, blocks, item.strength)
    summary = decided_summary(item.summary, str(block["decision"]), str(block["analyst"]))
    effect = "informational" if block["decision"] == "false_positive" else item.effect
    return Evidence(item.type, effect, item.concerns, summary, item.consequence, blocks, item.strength)
