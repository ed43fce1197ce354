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
WRO_LIFTED = (
    "Shown for information: CBP lists this Section 307 order (19 U.S.C. 1307) with status {status}, so it is no "
    "longer in force as listed and goods are not detained under it; the order's history remains a sourcing red "
    "flag."
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
# CBP's order statuses (the dataset's `Status` column) under which an order no longer detains goods: revoked,
# inactive, or modified (CBP modifies an order once the producer has remedied the forced-labour indicators).
# "Partially Modified" and "Partially Active" orders still apply to part of the goods, so they stay in force.
LIFTED_STATUSES = frozenset({"revoked", "inactive", "modified", "lifted"})


def order_status(entry: ListEntry) -> str | None:
    """The status CBP gives an order (`extra["status"]`, from the dataset or a snapshot's `status` column)."""
    if entry.source != CBP_WRO:
        return None
    return entry.extra.get("status") or None


def is_lifted(status: str | None) -> bool:
    """A CBP order status saying the order is no longer in force ("Revoked", "Inactive", "Modified")."""
    return status is not None and " ".join(status.casefold().split()) in LIFTED_STATUSES


def order_lifted(entry: ListEntry) -> bool:
    return is_lifted(order_status(entry))


def match_effect(entry: ListEntry, band: str) -> Effect:
    """How a name match on `entry` in `band` weighs in the verdict (DOMAIN.md, issue 4); a CBP order that CBP
    has lifted is informational."""
    code = entry.extra.get("list_code")
    if entry.source == UFLPA:
        return "presumption" if band == "strong" else "review"
    if entry.source == CBP_WRO:
        return "informational" if order_lifted(entry) else "review"
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
        return WRO_LIFTED.format(status=order_status(entry)) if order_lifted(entry) else WRO_DETENTION
    if entry.source == BIS_ENTITY_LIST or (entry.source == TRADE_GOV_CSL and code == CSL_EL):
        return BIS_LICENCE
    if entry.source == OFAC_SDN or (entry.source == TRADE_GOV_CSL and code == CSL_SDN):
        return SDN_BLOCKED.format(program=entry.program or "not stated by the source")
    return OTHER_LIST.format(program=entry.program or entry.source)
