"""Evidence about parties: list matches, Xinjiang locations, Xinjiang registration prefixes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from service.screening.consequences import XINJIANG_PRESUMPTION, match_consequence, match_effect
from service.screening.decisions import INVALIDATED, Decisions, decided_summary, find
from service.screening.evidence import NOT_STATED, Evidence, entry_block, fields_of, lifted_note, party_ref
from service.screening.geo import Gazetteer, PlaceHit
from service.screening.matcher import MatchIndex, MatchQuery, MatchResult, Thresholds
from service.screening.record import Party

MATCH_LIMIT = 5
PREFIX_CHARS = 40  # "Xinjiang Uyghur Autonomous Region ..." and 新疆维吾尔自治区 fit


def place_block(hit: PlaceHit) -> dict[str, object]:
    return fields_of(hit, skip=("start", "end"))


def party_places(party: Party, gazetteer: Gazetteer) -> list[PlaceHit]:
    text = party.location_text
    hits = gazetteer.find(text, country=party.country) if text else []
    return [h for h in hits if h.via != "product_claim"]


def party_evidence(party: Party, index: MatchIndex, gazetteer: Gazetteer, thresholds: Thresholds,
                   decisions: Decisions | None = None) -> list[Evidence]:
    places = party_places(party, gazetteer)
    matches = index.match(party_query(party, xinjiang_place=bool(places)), thresholds=thresholds, limit=MATCH_LIMIT)
    evidence = [with_decision(_match_evidence(party, r), party, r, decisions or {}) for r in matches]
    evidence.extend(_location_evidence(party, hit) for hit in places)
    if not places:
        evidence.extend(_name_prefix_evidence(party, gazetteer))
    return evidence


def party_query(party: Party, *, xinjiang_place: bool) -> MatchQuery:
    """The party as the list matcher (and the relations index) queries it."""
    return MatchQuery(name=party.name, entity_type=party.type, chinese_name=party.chinese_name,
                      country=party.country, address=party.location_text or None, xinjiang_place=xinjiang_place)


def _match_evidence(party: Party, result: MatchResult) -> Evidence:
    band = result.band or "review"
    effect = match_effect(result.entry, band)
    entry = result.entry
    return Evidence(
        type="list_match", effect=effect, concerns=party_ref(party),
        summary=(f"{party.role} {_shown(party, result)!r} matches {entry.source} entry {entry.entry_id} "
                 f"{entry.name!r} via {result.matched_alias!r} (score {result.score:.2f}, {band})"
                 + _variant_note(result) + _qualifier_note(result) + _ignored_note(result) + _linked_note(result)
                 + lifted_note(entry)),
        consequence=match_consequence(entry),
        blocks={"list_entry": entry_block(entry),
                "match": {"score": result.score, "band": band, "matched_alias": result.matched_alias,
                          "features": result.features.to_dict(),
                          "linked_entries": [{"source": e.source, "entry_id": e.entry_id, "name": e.name,
                                              "citation": e.citation or NOT_STATED,
                                              "consequence": match_consequence(e)} for e in result.linked]}},
        strength=result.score,
    )


def _shown(party: Party, result: MatchResult) -> str:
    """The name as matched: without invisible characters and noise, in the order it is displayed."""
    cleaning = result.features.cleaning
    return cleaning.query_name if cleaning is not None and cleaning.query_name else party.name


def _qualifier_note(result: MatchResult) -> str:
    missing = result.features.name.missing_qualifier
    if not missing:
        return ""
    return (f"; the listed name also carries {', '.join(map(repr, missing))}, which the record lacks: possibly "
            "the parent or a sister company, not the listed entity itself")


def _ignored_note(result: MatchResult) -> str:
    ignored = result.features.cleaning.ignored if result.features.cleaning else ()
    if not ignored:
        return ""
    return f"; ignored in the name field: {'; '.join(map(repr, ignored))}"


def _linked_note(result: MatchResult) -> str:
    if not result.linked:
        return ""
    return "; the same entity is also listed as " + ", ".join(f"{e.source} {e.entry_id}" for e in result.linked)


def _variant_note(result: MatchResult) -> str:
    variant = result.features.name.syllable_variant
    if len(variant) != 2:
        return ""
    return (f"; {variant[0]!r} and {variant[1]!r} spell different pinyin syllables, so possibly another company:"
            " compare the Chinese names")


def with_decision(item: Evidence, party: Party, result: MatchResult, decisions: Decisions) -> Evidence:
    """Attach an analyst's decision; a still-valid false positive stays visible but no longer drives the verdict."""
    found = find(decisions, party.name, party.country, result.entry)
    if found is None:
        return item
    decision, valid = found
    block = {"id": decision.id, "decision": decision.decision, "reason": decision.reason,
             "analyst": decision.analyst, "created_at": decision.created_at,
             "status": "applied" if valid else INVALIDATED}
    blocks = {**item.blocks, "decision": block}
    summary = decided_summary(item.summary, decision.decision, decision.analyst)
    if valid and decision.decision == "false_positive":
        return replace(item, effect="informational", blocks=blocks, summary=summary)
    if valid:
        return replace(item, blocks=blocks, summary=summary)
    return replace(item, blocks=blocks)


def _location_evidence(party: Party, hit: PlaceHit) -> Evidence:
    return Evidence(
        type="xinjiang_location", effect="presumption", concerns=party_ref(party),
        summary=(f"{party.role} {party.name!r} is located in Xinjiang: {hit.matched_text!r} = {hit.name} "
                 f"({hit.chinese_name}, {hit.level})"),
        consequence=XINJIANG_PRESUMPTION, blocks={"place": place_block(hit)},
    )


def _name_prefix_evidence(party: Party, gazetteer: Gazetteer) -> Sequence[Evidence]:
    """Chinese company names begin with their place of registration: 新疆…有限公司 is registered in
    Xinjiang. Not proof of where goods are made, so it asks for review rather than presuming."""
    if party.type == "person":
        return []
    names = [n for n in (party.chinese_name, party.name) if n]
    for name in names:
        # Only the head of the name can hold a registration place; scanning it alone keeps this cheap.
        hits = [h for h in gazetteer.find(name[:PREFIX_CHARS], country=party.country or "CN") if h.start == 0]
        if hits:
            hit = hits[0]
            return [Evidence(
                type="xinjiang_name", effect="review", concerns=party_ref(party),
                summary=(f"{party.role} {party.name!r} carries the Xinjiang place name {hit.matched_text!r} "
                         f"({hit.name}) at the start of its name, the usual position of a Chinese company's "
                         f"place of registration; confirm where it produces"),
                consequence="Possible Xinjiang nexus: if the party produces in Xinjiang, the UFLPA presumption "
                            "applies (UFLPA section 3, Pub. L. 117-78).",
                blocks={"place": place_block(hit)}, strength=0.5,
            )]
    return []
