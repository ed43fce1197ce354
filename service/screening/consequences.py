"""What a hit on each list means for the importer, and how it weighs in the verdict."""

from __future__ import annotations

from service.screening.model import (
    BIS_ENTITY_LIST,
    CBP_WRO,
    OFAC_SDN,
    TRADE_GOV_CSL,
    UFLPA,
    ListEntry,
)
from service.screening.vocabulary import Effect

UFLPA_PRESUMPTION = (
    "Rebuttable presumption under UFLPA section 3 (Pub. L. 117-78): goods produced wholly or in part by an "
    "entity on the UFLPA Entity List are presumed made with forced labour and barred under 19 U.S.C. 1307 "
    "unless the importer rebuts with clear and convincing evidence."
)
XINJIANG_PRESUMPTION = (
    "Rebuttable presumption under UFLPA section 3 (Pub. L. 117-78): goods mined, produced or manufactured "
    "wholly or in part in the Xinjiang Uyghur Autonomous Region are presumed made with forced labour and "
    "barred under 19 U.S.C. 1307 unless rebutted with clear and convincing evidence."
)
WRO_DETENTION = (
    "Detention at the border under a Section 307 withhold release order (19 U.S.C. 1307); goods covered by a "
    "finding are seized."
)
SDN_BLOCKED = (
    "Blocked property: U.S. persons may not deal with this party at all (IEEPA; OFAC program {program})."
)
BIS_LICENCE = (
    "Export licence requirement for items subject to the EAR (15 CFR 744, Supplement No. 4); a red flag for "
    "sourcing from this party."
)
OTHER_LIST = "Listed on {program}; shown for the analyst, it does not by itself change the UFLPA verdict."

# CSL list codes with the consequence family they share with the dedicated sources.
CSL_EL, CSL_SDN = "EL", "SDN"


def match_effect(entry: ListEntry, band: str) -> Effect:
    """How a name match on `entry` in `band` weighs in the verdict (DOMAIN.md, issue 4)."""
    code = entry.extra.get("list_code")
    if entry.source == UFLPA:
        return "presumption" if band == "strong" else "review"
    if entry.source == CBP_WRO:
        return "review"
    if entry.source == BIS_ENTITY_LIST or (entry.source == TRADE_GOV_CSL and code == CSL_EL):
        return "review" if entry.xinjiang_linked else "informational"
    if entry.source == OFAC_SDN or (entry.source == TRADE_GOV_CSL and code == CSL_SDN):
        return "review" if band == "strong" else "informational"
    return "informational"


def match_consequence(entry: ListEntry) -> str:
    code = entry.extra.get("list_code")
    if entry.source == UFLPA:
        return UFLPA_PRESUMPTION
    if entry.source == CBP_WRO:
        return WRO_DETENTION
    if entry.source == BIS_ENTITY_LIST or (entry.source == TRADE_GOV_CSL and code == CSL_EL):
        return BIS_LICENCE
    if entry.source == OFAC_SDN or (entry.source == TRADE_GOV_CSL and code == CSL_SDN):
        return SDN_BLOCKED.format(program=entry.program or "not stated by the source")
    return OTHER_LIST.format(program=entry.program or entry.source)
