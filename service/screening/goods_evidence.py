"""Evidence about goods lines: Xinjiang origins of goods and inputs, origin claims, sector exposure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.screening.consequences import XINJIANG_PRESUMPTION, Effect
from service.screening.evidence import Evidence, fields_of, party_ref
from service.screening.exposure import Exposure, ExposureInput, InputMaterial, score_exposure
from service.screening.geo import Gazetteer, PlaceHit
from service.screening.hs import HsCode, HsNomenclature
from service.screening.party_evidence import place_block
from service.screening.record import GoodsLine, Input
from service.screening.sectors import SectorCatalog, SectorMatch, ShareFigure

_WORD = re.compile(r"[a-z]{4,}")
# Words in sector names that say nothing about a material.
_GENERIC = frozenset({"products", "product", "downstream", "incl", "including", "other", "articles", "based",
                      "fresh", "dried", "solid", "solution", "prepared", "preserved", "primary", "forms"})


@dataclass(frozen=True)
class GoodsFacts:
    """What the verdict engine needs to know about one goods line besides its evidence."""

    hs: HsCode
    sectors: list[SectorMatch]
    exposure: Exposure
    xinjiang_content: bool  # the goods or one of their inputs come from Xinjiang


def origin_places(gazetteer: Gazetteer, region: str | None, country: str | None, description: str | None = None
                  ) -> list[PlaceHit]:
    """Xinjiang places in an origin: the region text, and the country field when it is not an ISO code."""
    texts = [t for t in (region, country if country and len(country) != 2 else None) if t]
    hits = [h for t in texts for h in gazetteer.find(t, country=country)]
    if description:
        hits += [h for h in gazetteer.find(description, country=country) if h.via == "product_claim"]
    return hits


def material_sectors(material: str, catalog: SectorCatalog) -> list[SectorMatch]:
    """Priority sectors an input material names (e.g. 'polysilicon', 'cotton yarn'), from sector names."""
    words = set(_WORD.findall(material.lower()))
    found = []
    for row in catalog.sectors:
        name_words = set(_WORD.findall(row.name.lower())) - _GENERIC
        if any(w == n or w.rstrip("s") == n.rstrip("s") for w in words for n in name_words):
            found.append(SectorMatch(row.sector_id, row.name, row.year_added, "material", row.citation, row.family))
    return found


def goods_evidence(line: GoodsLine, gazetteer: Gazetteer, hs_table: HsNomenclature, catalog: SectorCatalog
                   ) -> tuple[list[Evidence], GoodsFacts]:
    hs = hs_table.normalize(line.hs_code)
    sectors = catalog.sectors_for(hs)
    shares = catalog.shares_for(hs, sectors)
    origin = origin_places(gazetteer, line.origin_region, line.origin_country, line.description)
    inputs = [(item, origin_places(gazetteer, item.origin_region, item.origin_country)) for item in line.inputs]
    exposure = score_exposure(ExposureInput(
        sectors=sectors, origin_country=_iso(line.origin_country), origin_places=origin, shares=shares,
        inputs=[InputMaterial(name=item.material, origin_country=_iso(item.origin_country),
                              sectors=material_sectors(item.material, catalog), xinjiang_places=places)
                for item, places in inputs],
    ))
    evidence = [_origin_evidence(line, None, hit) for hit in origin]
    evidence += [_origin_evidence(line, item, hit) for item, places in inputs for hit in places]
    evidence.append(_exposure_evidence(line, hs, sectors, shares, exposure))
    located = any(h.via != "product_claim" for h in origin) or any(places for _, places in inputs)
    return evidence, GoodsFacts(hs=hs, sectors=sectors, exposure=exposure, xinjiang_content=located)


def _iso(country: str | None) -> str | None:
    return country.upper() if country and len(country) == 2 else None


def _origin_evidence(line: GoodsLine, item: Input | None, hit: PlaceHit) -> Evidence:
    what = f"input {item.material!r}" if item else f"goods (HS {line.hs_code})"
    concerns: dict[str, object] = {"pointer": item.pointer if item else line.pointer, "hs_code": line.hs_code}
    if item:
        concerns["material"] = item.material
        if item.supplier is not None:  # the party the input came from
            concerns["party"] = party_ref(item.supplier)
    if hit.via == "product_claim":
        return Evidence(
            type="product_claim", effect="review", concerns=concerns,
            summary=f"the description of {what} claims Xinjiang origin: {hit.matched_text!r}",
            consequence="A Xinjiang origin claim for the product: if true, the UFLPA presumption applies; "
                        "confirm the origin with supply-chain records.",
            blocks={"place": place_block(hit)}, strength=0.7,
        )
    return Evidence(
        type="xinjiang_location", effect="presumption", concerns=concerns,
        summary=f"{what} originates in Xinjiang: {hit.matched_text!r} = {hit.name} ({hit.chinese_name}, {hit.level})",
        consequence=XINJIANG_PRESUMPTION, blocks={"place": place_block(hit)},
    )


def _exposure_evidence(line: GoodsLine, hs: HsCode, sectors: list[SectorMatch], shares: list[ShareFigure],
                       exposure: Exposure
                       ) -> Evidence:
    china = (line.origin_country or "").upper() == "CN"
    indirect = any(t.name == "inputs" for t in exposure.terms)
    effect: Effect = "elevated" if sectors and (china or indirect) else "informational"
    names = ", ".join(s.sector_id for s in sectors) or "no high-priority sector"
    return Evidence(
        type="sector_exposure", effect=effect,
        concerns={"pointer": line.pointer, "hs_code": line.hs_code},
        summary=f"HS {hs.digits} ({names}); exposure {exposure.score}/100",
        consequence=("High-priority sector under the FLETF UFLPA Strategy: CBP expects tracing to raw material."
                     if sectors else None),
        blocks={
            "hs": {"code": hs.digits, "chapter": hs.chapter, "heading": hs.heading,
                   "description": " / ".join(hs.descriptions), "special": hs.special},
            "sectors": [fields_of(s) for s in sectors],
            "shares": [fields_of(s) for s in shares],
            "exposure": {"score": exposure.score, "terms": [fields_of(t) for t in exposure.terms]},
        },
        strength=exposure.score / 100,
    )
