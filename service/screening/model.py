"""Domain records shared by list sources, the matcher and the verdict engine.

Plain frozen dataclasses: the screening domain never imports FastAPI, SQLModel or httpx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from service.screening.vocabulary import EntityType

# Source identifiers used across storage, API and evidence.
UFLPA = "uflpa_entity_list"
CBP_WRO = "cbp_wro"
OFAC_SDN = "ofac_sdn"
BIS_ENTITY_LIST = "bis_entity_list"
TRADE_GOV_CSL = "trade_gov_csl"
OPENSANCTIONS = "opensanctions"
KNOWN_SOURCES = (UFLPA, CBP_WRO, OFAC_SDN, BIS_ENTITY_LIST, TRADE_GOV_CSL, OPENSANCTIONS)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of one source list, in the internal model every parser produces.

    `entry_id` is the upstream's own id (OFAC ent_num, CSL _id, FtM id, snapshot list_id) so a
    reload of a newer upstream file keeps ids stable.
    """

    source: str
    entry_id: str
    name: str
    entity_type: EntityType = "company"
    aliases: tuple[str, ...] = ()
    chinese_names: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    city: str | None = None
    country: str | None = None  # ISO-3166 alpha-2 where known
    date_listed: date | None = None
    legal_basis: str | None = None
    citation: str | None = None
    remarks: str | None = None
    # Upstream program or list within a multi-list source (OFAC program, CSL list name).
    program: str | None = None
    # True when the entry is tied to Xinjiang (program, address or remarks name a Xinjiang place);
    # every entry of the Xinjiang-specific snapshot lists is.
    xinjiang_linked: bool = False
    # False for region-wide orders (the CBP XUAR cotton/tomato WRO): they apply as rules through
    # location and sector, never by fuzzy-matching a region's name against company names.
    match_by_name: bool = True
    # Source-specific extras kept verbatim (e.g. order_type for CBP, ofac_uid, chinese_name_source).
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Primary name, then aliases, then Chinese-script names, without duplicates."""
        seen: dict[str, None] = {}
        for name in (self.name, *self.aliases, *self.chinese_names):
            if name and name not in seen:
                seen[name] = None
        return tuple(seen)
