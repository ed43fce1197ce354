"""Keyword-only builders for test data."""

from __future__ import annotations

from datetime import date

from service.screening.model import ListEntry
from service.screening.reasons import SOURCES


def make_entry(*, source: str = "ofac_sdn", entry_id: str = "1", name: str = "ACME TRADING CO LTD",
               aliases: tuple[str, ...] = (), chinese_names: tuple[str, ...] = (), country: str | None = "CN",
               date_listed: date | None = None, xinjiang_linked: bool = False) -> ListEntry:
    return ListEntry(source=source, entry_id=entry_id, name=name, aliases=aliases, chinese_names=chinese_names,
                     country=country, date_listed=date_listed, xinjiang_linked=xinjiang_linked,
                     citation="test factory")


def make_entries(count: int, *, source: str = "ofac_sdn", prefix: str = "Entity") -> list[ListEntry]:
    return [make_entry(source=source, entry_id=str(i), name=f"{prefix} Number {i} Co Ltd") for i in range(count)]


def party(*, role: str = "supplier", name: str = "Example Trading Co Ltd", **fields: object) -> dict[str, object]:
    return {"role": role, "name": name, **fields}


def goods(*, hs_code: str = "8479.89", origin_country: str | None = "DE", **fields: object) -> dict[str, object]:
    line: dict[str, object] = {"hs_code": hs_code, **fields}
    if origin_country is not None:
        line["origin_country"] = origin_country
    return line


def record(*, reference: str = "PO-1", kind: str = "shipment", parties: list[dict[str, object]] | None = None,
           goods_lines: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {"reference": reference, "kind": kind, "parties": parties or [party()], "goods": goods_lines or []}


_LIST_LABELS = tuple(f"{label}:" for label in SOURCES.values())


def own_warnings(warnings: list[str]) -> list[str]:
    """A result's warnings without those about the lists (every result has them while a list used is stale or
    partial, as the shipped snapshot is): the ones about the record itself."""
    return [w for w in warnings if not w.startswith(_LIST_LABELS)]
