"""The record being screened (a shipment or a supplier), as the verdict engine sees it.

Every country here is an ISO 3166 alpha-2 code or None: the edge (API models, batch rows, `flrisk check`
files) reads every spelling through `service/countries.py`, so the domain compares codes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["supplier", "manufacturer", "exporter", "seller", "shipper", "consignee", "importer",
               "upstream_supplier"]
ROLES: tuple[str, ...] = ("supplier", "manufacturer", "exporter", "seller", "shipper", "consignee", "importer",
                          "upstream_supplier")


@dataclass(frozen=True, slots=True)
class Party:
    role: str
    name: str
    pointer: str  # JSON pointer into the request, e.g. /parties/2 or /goods/0/inputs/1/supplier
    type: Literal["company", "person"] | None = None
    chinese_name: str | None = None
    address: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    tier: int | None = None
    role_assumed: bool = False  # True when the record gave no role and `role` is the default

    @property
    def location_text(self) -> str:
        return ", ".join(p for p in (self.address, self.city, self.region) if p)


@dataclass(frozen=True, slots=True)
class Input:
    material: str
    pointer: str
    origin_country: str | None = None
    origin_region: str | None = None
    supplier: Party | None = None


@dataclass(frozen=True, slots=True)
class GoodsLine:
    pointer: str
    hs_code: str
    description: str | None = None
    origin_country: str | None = None
    origin_region: str | None = None
    value: float | None = None
    currency: str | None = None
    inputs: tuple[Input, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    reference: str
    kind: Literal["shipment", "supplier"]
    parties: tuple[Party, ...]
    goods: tuple[GoodsLine, ...] = ()

    def all_parties(self) -> tuple[Party, ...]:
        """Named parties plus every input supplier: 'wholly or in part' reaches upstream."""
        upstream = tuple(i.supplier for g in self.goods for i in g.inputs if i.supplier is not None)
        return self.parties + upstream
