"""Sector exposure score: how likely goods carry Xinjiang content, before any entity or place hit.

Formula (each term is reported with its points, so the terms always add up to the score):

    score = 100                               if the origin, or any documented input, is in Xinjiang
    otherwise, min(99, sum of):
      china_origin    40  origin country is CN
      sector          20  the HS code is in a UFLPA high-priority sector (10 if the declared code is
                          broader than the sector's code and only may fall in it)
      xinjiang_share  15  a published Xinjiang share >= 50 % of output/capacity for the product or its
                          sector family, 8 if >= 10 %; halved (rounded down) when the origin is not CN
      xinjiang_export 10  Xinjiang export figures exist for this HS code (goods Xinjiang itself ships);
                          5 if the figure is a whole-chapter aggregate (e.g. "clothing", 61|62);
                          only when the origin is CN or unknown (Xinjiang goods ship as Chinese goods)
      inputs          25 per input from CN in a priority sector, 10 per priority-sector input of
                          unknown origin; at most 30 in total
      product_claim   35  a description claims Xinjiang origin for the goods ("Xinjiang cotton")
      cap             negative, only when the sum passes 99 (100 is kept for a Xinjiang origin)

The result is a screening signal for ordering and explaining, not a legal finding: the UFLPA
presumption turns on Xinjiang or Entity List facts, which the verdict engine checks separately.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from service.screening.geo import PlaceHit
from service.screening.sectors import SectorMatch, ShareFigure

# The statute presumes Xinjiang-made goods are made with forced labour: nothing scores higher.
XINJIANG_ORIGIN = 100
# 100 means "Xinjiang"; everything inferred from sector and trade data stays below it.
MAX_WITHOUT_XINJIANG = 99
# China weighs most: XUAR is in China, and CBP sets extra requirements for PRC goods [S13].
CHINA_ORIGIN = 40
# FLETF high-priority sectors are where enforcement concentrates [S01][S02][S03].
PRIORITY_SECTOR = 20
PRIORITY_SECTOR_PARTIAL = 10  # declared heading only overlaps the sector's subheadings
# Published Xinjiang share of the product's output (e.g. cotton ~90 % of China's [S31]).
SHARE_HIGH, SHARE_HIGH_PERCENT = 15, 50.0
SHARE_LOW, SHARE_LOW_PERCENT = 8, 10.0
# Xinjiang demonstrably exports this product (customs-data figures, e.g. wind turbines [S46]);
# half when the figure is only a chapter aggregate (all of 84/85, all clothing).
XINJIANG_EXPORTS = 10
XINJIANG_EXPORTS_CHAPTER = 5
# "Wholly or in part" reaches inputs; no de minimis [S15c]. A Chinese input in a priority sector is
# the documented third-country route (Chinese polysilicon in Vietnamese modules).
INPUT_FROM_CHINA = 25
INPUT_ORIGIN_UNKNOWN = 10
INPUTS_MAX = 30  # below CHINA_ORIGIN, so third-country goods never outrank the same goods from China
# A product-origin claim is a risk signal to review, not an address (false_positive_notes.md section 2).
PRODUCT_CLAIM = 35


@dataclass(frozen=True, slots=True)
class InputMaterial:
    """A documented input of the goods: what it is, where it comes from, which sectors it falls in."""

    name: str
    origin_country: str | None = None  # ISO2; None when unknown
    sectors: Sequence[SectorMatch] = ()
    xinjiang_places: Sequence[PlaceHit] = ()  # Xinjiang hits in the input's origin text


@dataclass(frozen=True, slots=True)
class ExposureInput:
    sectors: Sequence[SectorMatch] = ()
    origin_country: str | None = None  # ISO2
    origin_places: Sequence[PlaceHit] = ()  # Gazetteer.find() on origin region / description text
    shares: Sequence[ShareFigure] = ()  # SectorCatalog.shares_for(); Xinjiang export rows included
    inputs: Sequence[InputMaterial] = ()


@dataclass(frozen=True, slots=True)
class ExposureTerm:
    name: str
    points: int
    explanation: str
    source: str


@dataclass(frozen=True, slots=True)
class Exposure:
    score: int
    terms: list[ExposureTerm] = field(default_factory=list)


def score_exposure(data: ExposureInput) -> Exposure:
    """Score 0..100 with one term per contribution; see the module docstring for the formula."""
    xinjiang = _xinjiang_term(data)
    if xinjiang is not None:
        return Exposure(XINJIANG_ORIGIN, [xinjiang])
    china = (data.origin_country or "").upper() == "CN"
    candidates = (_china_term(china), _sector_term(data.sectors), _share_term(data.shares, china),
                  _export_term(data.shares, data.origin_country), _input_term(data.inputs),
                  _claim_term(data.origin_places))
    terms = [t for t in candidates if t is not None]
    total = sum(t.points for t in terms)
    if total > MAX_WITHOUT_XINJIANG:
        terms.append(ExposureTerm("cap", MAX_WITHOUT_XINJIANG - total,
                                  "capped at 99: only a Xinjiang origin scores 100", "flrisk exposure formula"))
    return Exposure(sum(t.points for t in terms), terms)


def _locations(places: Sequence[PlaceHit]) -> list[PlaceHit]:
    return [p for p in places if p.via != "product_claim"]


def _xinjiang_term(data: ExposureInput) -> ExposureTerm | None:
    origin = _locations(data.origin_places)
    if origin:
        names = ", ".join(f"{p.name} ({p.chinese_name})" for p in origin)
        return ExposureTerm("xinjiang_origin", XINJIANG_ORIGIN, f"origin in Xinjiang: {names}",
                            f"UFLPA sec. 3 (Pub. L. 117-78); {origin[0].source}")
    for item in data.inputs:
        places = _locations(item.xinjiang_places)
        if places:
            return ExposureTerm("xinjiang_input", XINJIANG_ORIGIN,
                                f"input {item.name} from Xinjiang ({places[0].name}): made 'in part' in XUAR",
                                f"UFLPA sec. 3 (Pub. L. 117-78); no de minimis [S15c]; {places[0].source}")
    return None


def _china_term(china: bool) -> ExposureTerm | None:
    if not china:
        return None
    return ExposureTerm("china_origin", CHINA_ORIGIN, "origin country is China (CN)",
                        "UFLPA sec. 3; CBP Operational Guidance, extra requirements for PRC goods [S13]")


def _sector_term(sectors: Sequence[SectorMatch]) -> ExposureTerm | None:
    if not sectors:
        return None
    best = min(sectors, key=lambda m: m.partial)
    points = PRIORITY_SECTOR_PARTIAL if best.partial else PRIORITY_SECTOR
    how = "may fall in" if best.partial else "falls in"
    return ExposureTerm("sector", points, f"HS code {how} UFLPA high-priority sector '{best.sector_id}' "
                        f"({best.year_added}, prefix {best.matched_prefix})", best.citation)


def _share_term(shares: Sequence[ShareFigure], china: bool) -> ExposureTerm | None:
    figures = [f for f in shares if f.xinjiang_share]
    if not figures:
        return None
    top = max(figures, key=lambda f: f.value)
    points = SHARE_HIGH if top.value >= SHARE_HIGH_PERCENT else SHARE_LOW if top.value >= SHARE_LOW_PERCENT else 0
    if not china:
        points //= 2  # third-country goods carry Xinjiang content only through their inputs
    reported = " (reported figure)" if top.reported_figure else ""
    return ExposureTerm("xinjiang_share", points, f"{top.metric}: {top.value:g} {top.unit}, {top.year}{reported}",
                        top.citation)


def _export_term(shares: Sequence[ShareFigure], origin: str | None) -> ExposureTerm | None:
    figures = [f for f in shares if f.xinjiang_export and f.relation == "direct"]
    if not figures or (origin or "CN").upper() != "CN":
        return None
    first = max(figures, key=lambda f: min(map(len, f.hs_prefixes)))  # the most product-specific figure
    points = XINJIANG_EXPORTS if min(map(len, first.hs_prefixes)) >= 4 else XINJIANG_EXPORTS_CHAPTER
    reported = " (reported figure)" if first.reported_figure else ""
    return ExposureTerm("xinjiang_export", points,
                        f"Xinjiang exports this product: {first.metric}, {first.value:g} {first.unit}, "
                        f"{first.year}{reported}", first.citation)


def _input_term(inputs: Sequence[InputMaterial]) -> ExposureTerm | None:
    points = 0
    notes: list[str] = []
    sources: list[str] = []
    for item in inputs:
        if not item.sectors:
            continue
        origin = (item.origin_country or "").upper()
        if origin == "CN":
            points += INPUT_FROM_CHINA
            notes.append(f"{item.name} from CN ({item.sectors[0].sector_id})")
        elif not origin:
            points += INPUT_ORIGIN_UNKNOWN
            notes.append(f"{item.name}, origin unknown ({item.sectors[0].sector_id})")
        else:
            continue
        sources.append(item.sectors[0].citation)
    if not points:
        return None
    return ExposureTerm("inputs", min(points, INPUTS_MAX), "priority-sector inputs: " + "; ".join(notes),
                        "UFLPA 'wholly or in part', no de minimis [S15c]; " + " | ".join(dict.fromkeys(sources)))


def _claim_term(places: Sequence[PlaceHit]) -> ExposureTerm | None:
    claims = [p for p in places if p.via == "product_claim"]
    if not claims:
        return None
    return ExposureTerm("product_claim", PRODUCT_CLAIM, f"description claims Xinjiang origin for the goods "
                        f"('{claims[0].matched_text}' followed by a product word)", claims[0].source)
