"""Request and response models of the screening endpoints. Unknown fields are refused."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from service.api.text import Country, Name, OptionalText
from service.refdata.loaders import load_hs
from service.screening.hs import HsCodeError

Role = Literal["supplier", "manufacturer", "exporter", "seller", "shipper", "consignee", "importer",
               "upstream_supplier"]


def _valid_hs(value: str) -> str:
    try:
        return load_hs().normalize(value).digits
    except HsCodeError as exc:
        raise ValueError(str(exc)) from exc


HsCodeText = Annotated[str, Field(min_length=2, max_length=20, description=(
    "HS-6 or national 8-10 digit code; dots, spaces and dashes allowed. Validated against HS 2022; "
    "US HTS chapters 98 and 99 are accepted without a sector."), examples=["8541.43"]), AfterValidator(_valid_hs)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyFields(_Strict):
    name: Name = Field(description="Party name as written, any script.", examples=["Hoshine Silicon Industry Co Ltd"])
    type: Literal["company", "person"] | None = Field(default=None, description="Guessed when absent.")
    chinese_name: OptionalText = Field(default=None, examples=["合盛硅业股份有限公司"])
    address: OptionalText = Field(default=None, examples=["Shanshan County, Turpan, Xinjiang"])
    city: OptionalText = None
    region: OptionalText = Field(default=None, description="Province or region.")
    country: Country = None
    tier: int | None = Field(default=None, ge=1, le=20, strict=True,
                             description="Supply-chain tier (1 = direct supplier).")


class PartyIn(PartyFields):
    role: Role = Field(examples=["manufacturer"])

    @model_validator(mode="after")
    def _tier_for_upstream(self) -> PartyIn:
        if self.role == "upstream_supplier" and self.tier is None:
            raise ValueError("tier is required for role upstream_supplier")
        return self


class InputIn(_Strict):
    material: Annotated[str, Field(min_length=1, max_length=200, examples=["polysilicon"])]
    origin_country: Country = None
    origin_region: OptionalText = Field(default=None, examples=["Xinjiang"])
    supplier: PartyFields | None = None


class GoodsLineIn(_Strict):
    hs_code: HsCodeText
    description: OptionalText = Field(default=None, examples=["Monocrystalline solar modules"])
    origin_country: Country = None
    origin_region: OptionalText = None
    value: float | None = Field(default=None, ge=0, strict=True)
    currency: Annotated[str | None, Field(default=None, pattern=r"^[A-Za-z]{3}$", examples=["USD"])] = None
    inputs: list[InputIn] = Field(default_factory=list, max_length=100)


class ScreeningRequest(_Strict):
    reference: Annotated[str, Field(min_length=1, max_length=200, description="Your id: PO, entry number or vendor id.",
                                    examples=["PO-2026-0042"])]
    kind: Literal["shipment", "supplier"]
    parties: list[PartyIn] = Field(min_length=1, max_length=100)
    goods: list[GoodsLineIn] = Field(default_factory=list, max_length=500)


class ScreeningBatchRequest(_Strict):
    records: list[ScreeningRequest] = Field(min_length=1, max_length=1000)


class ChecklistItemOut(BaseModel):
    id: str
    text: str
    category: str
    applies_to: list[str]
    sources: list[str]
    done: bool = False


class EvidenceOut(BaseModel):
    type: str = Field(description="list_match, ownership, xinjiang_location, xinjiang_name, product_claim, "
                                  "region_order, sector_exposure.", examples=["list_match"])
    effect: Literal["presumption", "review", "elevated", "informational"]
    concerns: dict[str, Any] = Field(description="The party or goods line concerned (JSON pointer, role, name).")
    summary: str
    consequence: str | None = None
    list_entry: dict[str, Any] | None = None
    match: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    hs: dict[str, Any] | None = None
    sectors: list[dict[str, Any]] | None = None
    shares: list[dict[str, Any]] | None = None
    exposure: dict[str, Any] | None = None
    decision: dict[str, Any] | None = Field(default=None, description="An analyst's decision on this match.")
    path: list[dict[str, Any]] | None = Field(
        default=None, description="Ownership: the steps from the party to the list entry, each with `name`, `lei` "
                                  "(when known), `relation` to the next step, `source` and `citation` (who says so); "
                                  "the last step is the list entry. `match` scores the party against the first step.")
    rule: str | None = Field(default=None, description="Ownership: the rule that sets the effect: listing_scope "
                                                       "(listed 'and subsidiaries'), ofac_50_percent, branch, "
                                                       "same_entity, related (review at most).",
                             examples=["listing_scope"])
    reason: str | None = Field(default=None, description="Ownership: why the relation has this effect.")


class ScreeningResult(BaseModel):
    id: str
    reference: str
    kind: str
    verdict: Literal["presumption", "review", "elevated", "clear"]
    risk_score: int = Field(ge=0, le=100)
    summary: str
    evidence: list[EvidenceOut]
    rebuttal_checklist: list[ChecklistItemOut]
    list_versions: dict[str, str]
    created_at: datetime


class ScreeningBatchResult(BaseModel):
    data: list[ScreeningResult]
    count: int


class ScreeningsPage(BaseModel):
    data: list[ScreeningResult]
    count: int
    limit: int
    offset: int
