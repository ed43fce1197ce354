"""The one place that reads the shipped reference data in `fixtures/geo` and `fixtures/sectors`.

Each loader is cached: the files are read once per process and the pure domain objects
(`Gazetteer`, `HsNomenclature`, `SectorCatalog`, `Checklist`) are shared afterwards.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any, cast

from service.paths import fixtures_dir
from service.screening.checklist import Checklist, ChecklistItem
from service.screening.geo import Gazetteer, HistoricalChange, Level, MatchPolicy, Place
from service.screening.hs import HsNomenclature, HsRow
from service.screening.sectors import SectorCatalog, SectorRow, ShareRow


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _values(policy: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(policy[key]["values"])


@cache
def load_gazetteer() -> Gazetteer:
    geo = fixtures_dir() / "geo"
    places = [
        Place(code=r["code"] or None, chinese_name=r["chinese_name"], level=cast(Level, r["level"]),
              parent_code=r["parent_code"] or None, pinyin=r["pinyin"], variants=_split(r["variants"]),
              source=r["source"])
        for r in _rows(geo / "xinjiang_places.csv")
    ]
    changes = [
        HistoricalChange(year=int(r["year"]), change_type=r["change_type"], old_code=r["old_code"] or None,
                         old_name=r["old_name"] or None, new_code=r["new_code"] or None,
                         new_name=r["new_name"] or None, source=r["source"])
        for r in _rows(geo / "xinjiang_historical_changes.csv")
    ]
    raw = json.loads((geo / "match_policy.json").read_text(encoding="utf-8"))
    policy = MatchPolicy(
        distinctive_words=_values(raw, "distinctive_words"),
        weak_keys=_values(raw, "weak_keys"),
        unique_pinyin=_values(raw, "unique_pinyin"),
        cn_needs_xinjiang=_values(raw, "cn_needs_xinjiang"),
        cn_needs_china=_values(raw, "cn_needs_china"),
        cn_short_distinctive=_values(raw, "cn_short_distinctive"),
        cn_blocked_tails={k: tuple(v) for k, v in raw["cn_blocked_tails"]["values"].items()},
        historical_variants=_values(raw, "historical_variants"),
    )
    return Gazetteer(places, changes, policy)


@cache
def load_hs() -> HsNomenclature:
    path = fixtures_dir() / "sectors" / "hs_nomenclature" / "harmonized-system.csv"
    return HsNomenclature(
        HsRow(code=r["hscode"], description=r["description"], parent=r["parent"], level=int(r["level"]),
              section=r["section"])
        for r in _rows(path)
        if r["hscode"] != "TOTAL"
    )


@cache
def load_sectors() -> SectorCatalog:
    sectors = fixtures_dir() / "sectors"
    sector_rows = [
        SectorRow(sector_id=r["sector_id"], name=r["sector_name"], year_added=int(r["year_added"]),
                  hs_prefixes=_split(r["hs_codes"]), mapping_basis=r["mapping_basis"],
                  citation=r["source_citation"])
        for r in _rows(sectors / "priority_sectors.csv")
    ]
    share_rows = [
        ShareRow(commodity=r["commodity"], hs_prefixes=_split(r["hs_codes"]), metric=r["metric"],
                 value=float(r["value"]), unit=r["unit"], year=r["year"], citation=r["source_citation"])
        for r in _rows(sectors / "xinjiang_share.csv")
    ]
    return SectorCatalog(sector_rows, share_rows)


@cache
def load_checklist() -> Checklist:
    raw = json.loads((fixtures_dir() / "sectors" / "rebuttal_checklist.json").read_text(encoding="utf-8"))
    return Checklist(
        ChecklistItem(id=item["id"], text=item["text"], category=item["category"],
                      applies_to="all" if item["applies_to"] == "all" else tuple(item["applies_to"]),
                      source_keys=tuple(item["source_keys"]), triggers=tuple(item.get("triggers", ())))
        for item in raw["items"]
    )
