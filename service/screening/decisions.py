"""Analyst decisions as the verdict engine sees them: keyed by party and list entry, valid while the
entry's content is what the analyst saw."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from service.screening.model import ListEntry

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def party_key(name: str, country: str | None) -> str:
    """Name folded (NFKC, case, punctuation, spacing) plus upper-case country: how a decision finds its party."""
    folded = _NOISE.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return f"{folded}|{(country or '').strip().upper()}"


def entry_hash(entry: ListEntry) -> str:
    data = asdict(entry)
    data["date_listed"] = entry.date_listed.isoformat() if entry.date_listed else None
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class Decision:
    id: str
    decision: Literal["false_positive", "confirmed"]
    reason: str
    analyst: str
    created_at: str
    entry_hash: str


# (party key, source, entry id) -> decision
Decisions = Mapping[tuple[str, str, str], Decision]


def find(decisions: Decisions, name: str, country: str | None, entry: ListEntry) -> tuple[Decision, bool] | None:
    """The decision on this pair and whether it still applies (False: the list entry changed since)."""
    found = decisions.get((party_key(name, country), entry.source, entry.entry_id))
    if found is None:
        return None
    return found, found.entry_hash == entry_hash(entry)


INVALIDATED = "invalidated: the list entry changed after the decision"


def decided_summary(summary: str, decision: str, analyst: str) -> str:
    """An evidence item's summary once a decision in force applies to it."""
    if decision == "false_positive":
        return f"{summary}; cleared as a false positive by {analyst}"
    return f"{summary}; confirmed by {analyst}"
