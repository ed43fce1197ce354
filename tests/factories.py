"""Keyword-only builders for test data."""

from __future__ import annotations

from datetime import date

from service.screening.model import ListEntry


def make_entry(*, source: str = "ofac_sdn", entry_id: str = "1", name: str = "ACME TRADING CO LTD",
               aliases: tuple[str, ...] = (), chinese_names: tuple[str, ...] = (), country: str | None = "CN",
               date_listed: date | None = None, xinjiang_linked: bool = False) -> ListEntry:
    return ListEntry(source=source, entry_id=entry_id, name=name, aliases=aliases, chinese_names=chinese_names,
                     country=country, date_listed=date_listed, xinjiang_linked=xinjiang_linked,
                     citation="test factory")


def make_entries(count: int, *, source: str = "ofac_sdn", prefix: str = "Entity") -> list[ListEntry]:
    return [make_entry(source=source, entry_id=str(i), name=f"{prefix} Number {i} Co Ltd") for i in range(count)]
