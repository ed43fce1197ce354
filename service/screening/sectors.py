"""UFLPA high-priority sectors by HS prefix, and the published Xinjiang share figures per product.

Data: `priority_sectors.csv` (HS 2022 prefixes per FLETF sector; mapping is the project's nomenclature
judgment, see fixtures/sectors/SOURCES.md) and `xinjiang_share.csv` (one reported metric per row).

Matching is by prefix: the declared code falls under a sector prefix (a full match), or the declared
code is broader than the prefix (`partial=True`: e.g. heading 0813 may be red dates, 081340, but may
also be another dried fruit). Sectors come back with their longest matching prefix, longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from service.screening.hs import HsCode

_SEED = "seed document"
# A metric describes Xinjiang's own output share (not a partner's share of its exports).
_XJ_SHARE = re.compile(r"^xinjiang share|^share of .*\b(?:in|from) xinjiang\b")
# A metric describes goods exported from Xinjiang, not transit through its ports (S47, S48b).
_XJ_EXPORT = re.compile(r"xinjiang\b.*\bexports?\b|\b(?:purchases|imports) (?:of xinjiang goods|from xinjiang)\b")


@dataclass(frozen=True, slots=True)
class SectorRow:
    """One row of priority_sectors.csv."""

    sector_id: str
    name: str
    year_added: int
    hs_prefixes: tuple[str, ...]
    mapping_basis: str
    citation: str

    @property
    def family(self) -> str:
        """The FLETF sector the row belongs to ("Cotton and cotton products", "Silica-based products")."""
        return re.split(r":| \(| incl\.", self.name)[0].strip()


@dataclass(frozen=True, slots=True)
class ShareRow:
    """One row of xinjiang_share.csv; `hs_prefixes` is ("TOTAL",) for all-goods aggregates."""

    commodity: str
    hs_prefixes: tuple[str, ...]
    metric: str
    value: float
    unit: str
    year: str
    citation: str


@dataclass(frozen=True, slots=True)
class SectorMatch:
    sector_id: str
    name: str
    year_added: int
    matched_prefix: str
    citation: str
    family: str
    partial: bool = False  # the declared code is broader than the sector prefix


@dataclass(frozen=True, slots=True)
class ShareFigure:
    commodity: str
    metric: str
    value: float
    unit: str
    year: str
    citation: str
    hs_prefixes: tuple[str, ...]
    relation: Literal["direct", "sector"]  # matched by the HS code itself, or by its sector family
    reported_figure: bool  # from the seed documents only: show as "reported figure"
    xinjiang_share: bool  # Xinjiang's own share of output/capacity (percent)
    xinjiang_export: bool  # goods exported from Xinjiang (not transit through its ports)


def _overlap(code: str, prefix: str) -> Literal["full", "partial", None]:
    if code.startswith(prefix):
        return "full"
    if prefix.startswith(code):
        return "partial"
    return None


class SectorCatalog:
    """Priority sectors and share figures, looked up by validated HS code."""

    def __init__(self, sectors: Iterable[SectorRow], shares: Iterable[ShareRow]) -> None:
        self.sectors = tuple(sectors)
        self.shares = tuple(shares)
        # Screening looks up the same few hundred codes over and over: answers are cached per code.
        self._sector_cache: dict[tuple[str, bool], list[SectorMatch]] = {}
        self._share_cache: dict[tuple[str, bool, frozenset[str]], list[ShareFigure]] = {}

    def sectors_for(self, hs: HsCode) -> list[SectorMatch]:
        """Sectors whose prefixes cover the code, each with its longest matching prefix; none for HTS 98/99."""
        key = (hs.prefix, hs.special)
        if key not in self._sector_cache:
            self._sector_cache[key] = self._sectors_for(hs)
        return list(self._sector_cache[key])

    def shares_for(self, hs: HsCode, sectors: Sequence[SectorMatch] = ()) -> list[ShareFigure]:
        """Figures for the code itself, then for the rest of its sectors' families (e.g. polysilicon for
        solar modules); all-goods aggregates (TOTAL) are left out: they say nothing about a product."""
        key = (hs.prefix, hs.special, frozenset(m.family for m in sectors))
        if key not in self._share_cache:
            self._share_cache[key] = self._shares_for(hs, sectors)
        return list(self._share_cache[key])

    def _sectors_for(self, hs: HsCode) -> list[SectorMatch]:
        if hs.special:
            return []
        matches: list[SectorMatch] = []
        for row in self.sectors:
            found = [(p, _overlap(hs.prefix, p)) for p in row.hs_prefixes]
            full = [p for p, kind in found if kind == "full"]
            partial = [p for p, kind in found if kind == "partial"]
            if full or partial:
                prefix = max(full, key=len) if full else min(partial)
                matches.append(SectorMatch(row.sector_id, row.name, row.year_added, prefix, row.citation,
                                           row.family, partial=not full))
        return sorted(matches, key=lambda m: (m.partial, -len(m.matched_prefix)))

    def _shares_for(self, hs: HsCode, sectors: Sequence[SectorMatch]) -> list[ShareFigure]:
        families = {m.family for m in sectors}
        family_prefixes = [p for row in self.sectors if row.family in families for p in row.hs_prefixes]
        figures: list[ShareFigure] = []
        for row in self.shares:
            if "TOTAL" in row.hs_prefixes or hs.special:
                continue
            if any(_overlap(hs.prefix, p) for p in row.hs_prefixes):
                figures.append(_figure(row, "direct"))
            elif any(_overlap(p, fp) == "full" for p in row.hs_prefixes for fp in family_prefixes):
                figures.append(_figure(row, "sector"))
        return sorted(figures, key=lambda f: f.relation != "direct")


def _figure(row: ShareRow, relation: Literal["direct", "sector"]) -> ShareFigure:
    metric = row.metric.lower()
    return ShareFigure(
        commodity=row.commodity, metric=row.metric, value=row.value, unit=row.unit, year=row.year,
        citation=row.citation, hs_prefixes=row.hs_prefixes, relation=relation,
        reported_figure=_SEED in row.citation,
        xinjiang_share=row.unit.startswith("percent") and bool(_XJ_SHARE.search(metric)),
        xinjiang_export=bool(_XJ_EXPORT.search(metric)) and "through" not in metric,
    )
