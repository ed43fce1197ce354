"""Region-wide orders are rules, not names: they apply through place and sector.

- The CBP order on cotton and tomato products of the XUAR (the snapshot's region-wide WRO entry)
  applies to goods of the cotton, apparel or tomato sectors with any Xinjiang content.
- The CBP order on XPCC cotton applies to cotton-sector goods where a party is the XPCC or sits in
  an XPCC division or city.
Both cite the list entry they come from; neither is ever matched by fuzzy name comparison.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.screening.consequences import match_consequence, order_lifted
from service.screening.evidence import Evidence, entry_block, lifted_note
from service.screening.model import ListEntry
from service.screening.vocabulary import Effect

# Sector ids (fixtures/sectors/priority_sectors.csv) that an order on "cotton" / "tomato" products covers;
# CBP's FAQ on the XUAR order lists apparel and textiles among the covered cotton goods [S10].
COTTON_SECTORS = frozenset({"apparel", "cotton", "cotton_downstream", "cotton_blends"})
TOMATO_SECTORS = frozenset({"tomatoes", "tomato_seeds"})


def _order_sectors(entry: ListEntry) -> frozenset[str]:
    scope = entry.extra.get("order_type", "").lower()
    sectors: set[str] = set()
    if "cotton" in scope:
        sectors |= COTTON_SECTORS
    if "tomato" in scope:
        sectors |= TOMATO_SECTORS
    return frozenset(sectors)


def is_xpcc_order(entry: ListEntry) -> bool:
    return "xpcc" in entry.extra.get("order_type", "").lower()


def region_order_evidence(orders: Sequence[ListEntry], *, pointer: str, sector_ids: set[str],
                          xinjiang_content: bool, xpcc_party: bool, xpcc_orders: Sequence[ListEntry]
                          ) -> list[Evidence]:
    """Evidence for every region-wide or XPCC order that covers this goods line."""
    found = []
    for entry in orders:
        covered = _order_sectors(entry) & sector_ids
        if covered and xinjiang_content:
            found.append(_evidence(entry, pointer, covered, "goods of this sector with Xinjiang content"))
    for entry in xpcc_orders:
        covered = _order_sectors(entry) & sector_ids
        if covered and xpcc_party:
            found.append(_evidence(entry, pointer, covered, "cotton goods with an XPCC party"))
    return found


def _evidence(entry: ListEntry, pointer: str, sectors: frozenset[str], why: str) -> Evidence:
    """Review, with the detention consequence; an order CBP has lifted (`consequences.LIFTED_STATUSES`) is
    informational, with its status and the lifted-order consequence."""
    effect: Effect = "informational" if order_lifted(entry) else "review"
    return Evidence(
        type="region_order", effect=effect, concerns={"pointer": pointer},
        summary=f"CBP order {entry.entry_id} ({entry.extra.get('order_type', 'WRO')}) covers {why} "
                f"({', '.join(sorted(sectors))})" + lifted_note(entry),
        consequence=match_consequence(entry), blocks={"list_entry": entry_block(entry)}, strength=0.9,
    )
