"""A stored batch row as the record the engine screens (batch jobs, supplier registration, the console)."""

from __future__ import annotations

from typing import Any

from service import countries
from service.screening.record import GoodsLine, Party, Record
from service.store.tables import BatchRow


def batch_columns(batch: BatchRow) -> dict[str, int]:
    """Field -> position of its column in the stored rows, from the batch's header mapping."""
    return {field: batch.headers.index(header) for field, header in batch.mapping.items()}


def row_record(row: dict[str, Any], columns: dict[str, int]) -> Record:
    return row_screening(row, columns)[0]


def row_screening(row: dict[str, Any], columns: dict[str, int]) -> tuple[Record, list[str]]:
    """The stored row as the record the engine screens, and the warnings about it: a country cell that names
    no country is left out (the row is still screened, and its cell kept in the results file)."""
    values: list[str] = row["v"]

    def cell(field: str) -> str | None:
        i = columns.get(field)
        value = values[i].strip() if i is not None and i < len(values) else ""
        return value or None

    written = cell("country")
    country = countries.lookup(written)
    warnings = [countries.dropped_warning("country", written)] if written and country is None else []
    kind = cell("type")
    party = Party(role="supplier", name=cell("name") or "", pointer="/parties/0", chinese_name=cell("chinese_name"),
                  address=cell("address"), city=cell("city"), country=country,
                  type=kind if kind in ("company", "person") else None)  # type: ignore[arg-type]
    hs = cell("hs_code")
    goods = (GoodsLine(pointer="/goods/0", hs_code=hs, origin_country=party.country),) if hs else ()
    record = Record(reference=cell("reference") or f"row {row['n']}", kind="supplier", parties=(party,), goods=goods)
    return record, warnings
