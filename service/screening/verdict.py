"""The verdict engine: a record in, a rebuttable-presumption verdict with evidence out. Pure.

Verdict (DOMAIN.md, issue 4): the strongest effect among the evidence items (list matches, and ownership
items that follow the list's own rule, `service/screening/ownership.py`):
`presumption` (strong UFLPA Entity List match, or Xinjiang in any party's location, goods origin or
input origin) > `review` (review-band UFLPA match; CBP WRO match on an order in force (a revoked, inactive or
modified order is informational and asks for no detention documents); Xinjiang-tied BIS Entity List
match; strong OFAC SDN match; region-wide order; Xinjiang registration prefix or origin claim) >
`elevated` (priority sector from China or with documented indirect inputs) > `clear`.

Risk score: each verdict owns a band (clear 0-29, elevated 30-59, review 60-84, presumption 85-100);
the score sits inside the band by the strength of the strongest item of that effect (match score,
exposure score), so scores order results within a verdict and never contradict it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from service.screening.checklist import Checklist, ChecklistItem
from service.screening.consequences import is_lifted
from service.screening.decisions import Decisions
from service.screening.evidence import Evidence
from service.screening.geo import Gazetteer
from service.screening.goods_evidence import GoodsFacts, goods_evidence
from service.screening.hs import HsNomenclature
from service.screening.matcher import MatchIndex, Thresholds
from service.screening.model import CBP_WRO, UFLPA, ListEntry
from service.screening.ownership import ownership_evidence
from service.screening.party_evidence import party_evidence
from service.screening.record import Record
from service.screening.region_orders import region_order_evidence
from service.screening.relations import RelationsView
from service.screening.sectors import SectorCatalog
from service.screening.vocabulary import VERDICT_RANK, VERDICTS, Verdict

CLEAR_SUMMARY = "No UFLPA, list or Xinjiang indicator found in the list versions checked."
RANK: dict[str, int] = {"informational": 0, **VERDICT_RANK}  # an effect or a verdict -> its severity
BANDS: dict[Verdict, tuple[int, int]] = {"clear": (0, 29), "elevated": (30, 59), "review": (60, 84),
                                         "presumption": (85, 100)}
_BY_RANK: dict[int, Verdict] = {VERDICT_RANK[verdict]: verdict for verdict in VERDICTS}


@dataclass(frozen=True)
class ScreeningContext:
    index: MatchIndex
    gazetteer: Gazetteer
    hs: HsNomenclature
    sectors: SectorCatalog
    checklist: Checklist
    thresholds: Thresholds
    # Region-wide orders (match_by_name False) and XPCC-scoped orders, both applied as rules.
    region_orders: tuple[ListEntry, ...] = ()
    xpcc_orders: tuple[ListEntry, ...] = ()
    # The organisation's analyst decisions on (party, entry) pairs.
    decisions: Decisions = field(default_factory=dict)
    # Organisations related to list entries (GLEIF, OpenSanctions, the lists' group wording); None: not loaded.
    relations: RelationsView | None = None


@dataclass(frozen=True)
class ScreeningOutcome:
    verdict: Verdict
    risk_score: int
    summary: str
    evidence: list[Evidence]
    checklist: list[ChecklistItem]


def screen(record: Record, ctx: ScreeningContext) -> ScreeningOutcome:
    evidence: list[Evidence] = []
    for party in record.all_parties():
        found = party_evidence(party, ctx.index, ctx.gazetteer, ctx.thresholds, ctx.decisions)
        evidence.extend(found)
        if ctx.relations is not None:
            evidence.extend(ownership_evidence(party, found, ctx.relations, ctx.thresholds, ctx.decisions))
    party_in_xinjiang = any(e.type == "xinjiang_location" for e in evidence)
    xpcc_party = _xpcc_party(evidence, ctx.xpcc_orders)
    facts: list[GoodsFacts] = []
    for line in record.goods:
        items, fact = goods_evidence(line, ctx.gazetteer, ctx.hs, ctx.sectors)
        evidence.extend(items)
        facts.append(fact)
        evidence.extend(region_order_evidence(
            ctx.region_orders, pointer=line.pointer, sector_ids={s.sector_id for s in fact.sectors},
            xinjiang_content=fact.xinjiang_content or party_in_xinjiang, xpcc_party=xpcc_party,
            xpcc_orders=ctx.xpcc_orders))
    verdict = _verdict(evidence)
    sector_ids = sorted({s.sector_id for f in facts for s in f.sectors})
    checklist = (ctx.checklist.rebuttal_checklist(sector_ids, triggers=_triggers(evidence, record))
                 if verdict in ("presumption", "review") else [])
    return ScreeningOutcome(verdict=verdict, risk_score=_risk_score(verdict, evidence),
                            summary=_summary(verdict, evidence), evidence=_ordered(evidence), checklist=checklist)


@dataclass(frozen=True)
class Judgement:
    verdict: str
    risk_score: int
    summary: str
    evidence: list[Evidence]  # most severe first


def judge(evidence: Sequence[Evidence]) -> Judgement:
    """Verdict, risk score, summary and order of a set of evidence items, as `screen` makes them (used again
    when analyst decisions change the effect of stored items, `service/screening/redecide.py`)."""
    verdict = _verdict(evidence)
    return Judgement(verdict, _risk_score(verdict, evidence), _summary(verdict, evidence), _ordered(evidence))


def _xpcc_party(evidence: Sequence[Evidence], xpcc_orders: Sequence[ListEntry]) -> bool:
    """A party is the XPCC (matched the XPCC order's own entry) or sits in an XPCC division or city."""
    order_ids = {(e.source, e.entry_id) for e in xpcc_orders}
    for e in evidence:
        entry = e.blocks.get("list_entry") or {}
        if e.type == "list_match" and (entry.get("source"), entry.get("entry_id")) in order_ids:
            return True
        if e.type == "xinjiang_location" and str(e.blocks["place"].get("level", "")).startswith("xpcc"):
            return True
    return False


def _verdict(evidence: Sequence[Evidence]) -> Verdict:
    return _BY_RANK[max((RANK[e.effect] for e in evidence), default=0)]


def _risk_score(verdict: Verdict, evidence: Sequence[Evidence]) -> int:
    low, high = BANDS[verdict]
    if verdict == "clear":
        strength = max((e.strength for e in evidence if e.type == "sector_exposure"), default=0.0)
    else:
        strength = max((e.strength for e in evidence if e.effect == verdict), default=0.0)
    return round(low + (high - low) * min(max(strength, 0.0), 1.0))


def _triggers(evidence: Sequence[Evidence], record: Record) -> list[str]:
    triggers = set()
    for e in evidence:
        source = (e.blocks.get("list_entry") or {}).get("source")
        listed = e.type in ("list_match", "ownership")
        if listed and source == UFLPA and e.effect in ("presumption", "review"):
            triggers.add("entity_list")
        if e.type == "xinjiang_location":
            triggers.add("xinjiang_location")
        if (e.type == "region_order" or (listed and source == CBP_WRO)) and _in_force(e):
            triggers.add("wro")
    if any((g.origin_country or "").upper() == "CN" for g in record.goods) or any(
            (p.country or "").upper() == "CN" for p in record.parties):
        triggers.add("china_origin")
    return sorted(triggers)


def _in_force(item: Evidence) -> bool:
    """False for a CBP order CBP has lifted (`consequences.order_lifted`): it asks for no detention documents."""
    return not is_lifted((item.blocks.get("list_entry") or {}).get("status"))


def _summary(verdict: Verdict, evidence: Sequence[Evidence]) -> str:
    deciding = [e for e in evidence if e.effect == verdict]
    if verdict == "clear" or not deciding:
        return CLEAR_SUMMARY
    lead = max(deciding, key=lambda e: e.strength)
    more = f" (+{len(deciding) - 1} more)" if len(deciding) > 1 else ""
    return f"{verdict}: {lead.summary}{more}"


def _ordered(evidence: Sequence[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: (-RANK[e.effect], -e.strength))
