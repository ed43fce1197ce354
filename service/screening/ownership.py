"""Ownership evidence: a party that is a subsidiary, branch, parent or relative of a listed entity. Pure.

A party is matched against the names of the organisations related to list entries (GLEIF, OpenSanctions,
the lists' own group wording); each path from the matched organisation to a list entry becomes an
`ownership` item with the path, who says so at each step, and the effect the list's own rule gives it:
- a subsidiary (or branch) of an entity listed "and subsidiaries" / "and its subordinates" is covered by
  the listing: the effect of a direct match on that entry (the UFLPA presumption for a strong match);
- an entity owned 50 % or more (directly or through other such entities) by an OFAC SDN is blocked as
  the SDN (OFAC's 50 Percent Rule): the effect of a direct SDN match;
- a branch, or another name of the same legal entity, is the entity itself;
- any other relation (parent, sister, minority owner, a link) is `review` at most, with the reason.
The match score of the first step (party to related organisation) bands the effect, as for list matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from service.screening.consequences import Effect, match_consequence, match_effect
from service.screening.decisions import Decisions
from service.screening.evidence import NOT_STATED, Evidence, entry_block, party_ref
from service.screening.matcher import MatchResult, Thresholds
from service.screening.model import OFAC_SDN, TRADE_GOV_CSL, ListEntry
from service.screening.party_evidence import MATCH_LIMIT, party_query, with_decision
from service.screening.record import Party
from service.screening.relations import NEUTRAL, Path, RelationGraph, RelationsView, Step

RANK: Final[dict[str, int]] = {"informational": 0, "elevated": 1, "review": 2, "presumption": 3}
MAX_ITEMS: Final = 5  # ownership items per party, strongest first
MAJORITY: Final = 50.0  # percent: a majority owner controls; OFAC blocks at 50 % or more
# "and subsidiaries", "and its subordinates", "and its subordinate and affiliated entities" cover every
# subsidiary; "and its subsidiary NAME" and "and its eight PLACE-based subsidiaries, which include ..." name
# them (each is then its own entry), so other subsidiaries are not covered.
GROUP_WORDING: Final = ("subsidiaries", "subordinate")
_COUNTED: Final = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I)
OFAC_50 = ("OFAC 50 Percent Rule: an entity owned 50 % or more, directly or indirectly, by one or more blocked "
           "persons is itself blocked, whether or not it is named on the SDN list.")
RELATED = ("Not named on the list and not covered by its wording: review the relation (control, shared "
           "production, sourcing) before trading. If the listed entity produces the goods: {consequence}")


@dataclass(frozen=True, slots=True)
class Finding:
    """One party-to-list-entry path with the effect the list's rule gives it."""

    match: MatchResult  # the party against the first organisation of the path
    path: Path
    entry: ListEntry
    effect: Effect
    rule: str  # listing_scope, ofac_50_percent, branch, same_entity, related
    reason: str

    @property
    def rank(self) -> tuple[int, float, int]:
        return RANK[self.effect], self.match.score, -len(self.path.steps)


def ownership_evidence(party: Party, direct: Sequence[Evidence], view: RelationsView, thresholds: Thresholds,
                       decisions: Decisions | None = None) -> list[Evidence]:
    """Ownership items for `party`, given its own evidence `direct` (a direct list match on the same entry
    with at least the same effect makes the ownership item redundant)."""
    if not view.screens:
        return []
    query = party_query(party, xinjiang_place=any(e.type == "xinjiang_location" for e in direct))
    matches = view.index.match(query, thresholds=thresholds, limit=MATCH_LIMIT)
    shown = {(e.blocks["list_entry"]["source"], e.blocks["list_entry"]["entry_id"]): RANK[e.effect]
             for e in direct if e.type == "list_match"}
    findings = [f for f in ownership_findings(matches, view.graph)
                if shown.get((f.entry.source, f.entry.entry_id), -1) < RANK[f.effect]]
    return [with_decision(_evidence(party, f, view.graph), party, replace(f.match, entry=f.entry), decisions or {})
            for f in findings[:MAX_ITEMS]]


def ownership_findings(matches: Sequence[MatchResult], graph: RelationGraph) -> list[Finding]:
    """The strongest path to each list entry reachable from the matched organisations, strongest first."""
    best: dict[str, Finding] = {}
    for match in matches:
        for path in graph.paths(match.entry.entry_id):
            entry = graph.entries[path.target]
            effect, rule, reason = classify(path, entry, match.band or "review", graph)
            found = Finding(match, path, entry, effect, rule, reason)
            if path.target not in best or found.rank > best[path.target].rank:
                best[path.target] = found
    return sorted(best.values(), key=lambda f: f.rank, reverse=True)


def classify(path: Path, entry: ListEntry, band: str, graph: RelationGraph) -> tuple[Effect, str, str]:
    """Effect, rule and reason of a path ending at `entry`; `band` is the first step's match band."""
    base = match_effect(entry, band)
    steps = [s for s in path.steps if s.relation.kind not in NEUTRAL]
    scope = entry.extra.get("listing_scope", "")
    if not steps:
        return base, "same_entity", f"the same legal entity as {entry.name!r} ({_neutral(path)})"
    if all(s.up and s.relation.kind == "branch_of" for s in steps):
        return base, "branch", f"a branch of {entry.name!r}, and so part of the listed legal entity"
    if all(s.up and _controlled(s) for s in steps):
        if covers_subsidiaries(scope):
            return base, "listing_scope", f"a subsidiary of {entry.name!r}, listed {scope!r}: the listing covers it"
        if _is_sdn(entry) and all(s.relation.kind == "owned_by" for s in steps):
            return (base, "ofac_50_percent",
                    f"owned {_shares(steps)} by the SDN {entry.name!r}: blocked as the SDN (50 Percent Rule)")
    return _at_most_review(base), "related", _related_reason(steps, entry, scope, graph)


def covers_subsidiaries(scope: str) -> bool:
    """Whether a listing's group wording covers every subsidiary (not only the ones it names)."""
    text = scope.casefold()
    return any(word in text for word in GROUP_WORDING) and not _COUNTED.search(text)


def _controlled(step: Step) -> bool:
    r = step.relation
    return r.kind in ("subsidiary_of", "branch_of") or (r.kind == "owned_by" and (r.share or 0.0) >= MAJORITY)


def _is_sdn(entry: ListEntry) -> bool:
    return entry.source == OFAC_SDN or (entry.source == TRADE_GOV_CSL and entry.extra.get("list_code") == "SDN")


def _at_most_review(effect: Effect) -> Effect:
    return "review" if RANK[effect] > RANK["review"] else effect


def _shares(steps: Sequence[Step]) -> str:
    return " then ".join(f"{s.relation.share:g} %" for s in steps)


def _neutral(path: Path) -> str:
    return ", ".join(f"{s.label} per {s.relation.source}" for s in path.steps)


def _related_reason(steps: Sequence[Step], entry: ListEntry, scope: str, graph: RelationGraph) -> str:
    name = entry.name
    kinds = {s.relation.kind for s in steps}
    if kinds & {"linked_to", "directed_by"}:
        link = next(s for s in steps if s.relation.kind in ("linked_to", "directed_by"))
        return f"{link.label.replace('_', ' ')} {name!r} per {link.relation.source}: a link, not ownership"
    if all(s.up for s in steps):
        minority = [s for s in steps if s.relation.kind == "owned_by" and not _controlled(s)]
        if minority:
            share = minority[0].relation.share
            held = f"{share:g} %" if share is not None else "share not stated"
            return f"a minority or unstated stake ({held}) held by {name!r} or its group: not control"
        if _is_sdn(entry):
            return (f"a subsidiary of the SDN {name!r} with no ownership share stated: check whether the 50 Percent "
                    "Rule applies")
        if scope:
            return f"a subsidiary of {name!r}, listed {scope!r}: the listing names those subsidiaries, not this one"
        return f"a subsidiary of {name!r}, which is listed without group wording: the listing names it alone"
    if not any(s.up for s in steps):
        share = steps[0].relation.share if steps[0].relation.kind == "owned_by" else None
        held = f" (holding {share:g} %)" if share is not None else ""
        return f"a parent or owner{held} of {name!r}: the listing does not reach up to its owners"
    parent = graph.orgs[_end([s for s in steps if s.up][-1])].name
    affiliated = "; the listing also names affiliated entities" if "affiliat" in scope.casefold() else ""
    return f"a sister company of {name!r} under {parent!r}{affiliated}"


def _end(step: Step) -> str:
    return step.relation.object if step.up else step.relation.subject


def path_block(path: Path, entry: ListEntry, graph: RelationGraph) -> list[dict[str, Any]]:
    """The path as evidence: one item per organisation, the relation to the next and who says so."""
    items: list[dict[str, Any]] = []
    for step in path.steps:
        org = graph.orgs[step.node]
        item: dict[str, Any] = {"name": org.name, "relation": step.label, "source": step.relation.source,
                                "citation": step.relation.citation}
        if org.lei:
            item["lei"] = org.lei
        if step.relation.share is not None:
            item["share"] = step.relation.share
        if step.node in graph.entries:
            listed = graph.entries[step.node]
            item["list_entry"] = {"source": listed.source, "entry_id": listed.entry_id}
        items.append(item)
    items.append({"name": entry.name, "relation": None, "source": entry.source,
                  "citation": entry.citation or NOT_STATED,
                  "list_entry": {"source": entry.source, "entry_id": entry.entry_id}})
    return items


def chain_text(path: Sequence[dict[str, Any]]) -> str:
    """A path block as one line: `A (LEI x) -subsidiary_of [gleif]-> B [uflpa_entity_list uflpa-003]`."""
    parts = []
    for item in path:
        label = str(item["name"]) + (f" (LEI {item['lei']})" if item.get("lei") else "")
        if item.get("relation") is None and item.get("list_entry"):
            label += f" [{item['list_entry']['source']} {item['list_entry']['entry_id']}]"
        parts.append(label)
        if item.get("relation"):
            parts.append(f" -{item['relation']} [{item['source']}]-> ")
    return "".join(parts)


def _evidence(party: Party, finding: Finding, graph: RelationGraph) -> Evidence:
    match, entry = finding.match, finding.entry
    band = match.band or "review"
    path = path_block(finding.path, entry, graph)
    consequence = match_consequence(entry)
    if finding.rule == "ofac_50_percent":
        consequence = f"{consequence} {OFAC_50}"
    elif finding.rule == "related":
        consequence = RELATED.format(consequence=consequence)
    return Evidence(
        type="ownership", effect=finding.effect, concerns=party_ref(party),
        summary=(f"{party.role} {party.name!r} matches {match.matched_alias!r} (score {match.score:.2f}, {band}), "
                 f"{finding.reason}: {chain_text(path)}"),
        consequence=consequence,
        blocks={"list_entry": entry_block(entry), "path": path, "rule": finding.rule, "reason": finding.reason,
                "match": {"score": match.score, "band": band, "matched_alias": match.matched_alias,
                          "features": match.features}},
        strength=match.score,
    )
