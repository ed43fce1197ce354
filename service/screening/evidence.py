"""Evidence items: one per fact that weighs in the verdict, each with what it concerns and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.screening.consequences import order_lifted, order_status
from service.screening.model import ListEntry
from service.screening.record import Party
from service.screening.vocabulary import Effect

NOT_STATED = "not stated by the source"


@dataclass(frozen=True)
class Evidence:
    type: str
    effect: Effect
    concerns: dict[str, Any]
    summary: str
    consequence: str | None = None
    # Optional blocks, present according to `type`.
    blocks: dict[str, Any] = field(default_factory=dict)
    # Strength in [0, 1] inside its effect band, used for the risk score.
    strength: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "effect": self.effect, "concerns": self.concerns, "summary": self.summary,
                "consequence": self.consequence, **self.blocks}


def fields_of(obj: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A flat dataclass as a dict, without `asdict`'s deep copies (hot path: one call per evidence item)."""
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__ if name not in skip}


def party_ref(party: Party) -> dict[str, Any]:
    ref: dict[str, Any] = {"pointer": party.pointer, "role": party.role, "name": party.name}
    if party.tier is not None:
        ref["tier"] = party.tier
    if party.role_assumed:
        ref["role_assumed"] = True
    return ref


def entry_block(entry: ListEntry) -> dict[str, Any]:
    """The list entry as evidence: where a source is silent, say so instead of leaving a blank."""
    return {
        "source": entry.source,
        "entry_id": entry.entry_id,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "chinese_names": list(entry.chinese_names),
        "legal_basis": entry.legal_basis or NOT_STATED,
        "date_listed": entry.date_listed.isoformat() if entry.date_listed else NOT_STATED,
        "citation": entry.citation or NOT_STATED,
        "program": entry.program,
        "xinjiang_linked": entry.xinjiang_linked,
        "listing_scope": entry.extra.get("listing_scope"),  # group wording: "and subsidiaries", ...
        "status": order_status(entry),  # a CBP order's status ("Active", "Revoked", ...); None elsewhere
        "remarks": entry.remarks,
        "extra": dict(entry.extra),
    }


def lifted_note(entry: ListEntry) -> str:
    """For a summary: the order is listed with a status saying it no longer applies."""
    if not order_lifted(entry):
        return ""
    return f"; CBP lists the order as {order_status(entry)}: not in force, shown for information"
