"""Request and response models of the screening endpoints. Unknown fields are refused."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from service.contracts.list_usage import (
    LIST_WARNINGS_DESCRIPTION,
    LIST_WARNINGS_EXAMPLE,
    LISTS_DESCRIPTION,
    ListUsage,
)
from service.contracts.text import Country, Name, OptionalText
from service.refdata.loaders import load_hs
from service.screening.hs import HsCodeError
from service.screening.record import Role
from service.screening.vocabulary import Effect, PartyType, Verdict

INPUT_SUPPLIER_ROLE = "upstream_supplier"  # the role of an input's supplier that gives none


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
    type: PartyType | None = Field(default=None, description="Guessed when absent.")
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


class InputSupplierIn(PartyFields):
    """The party shape; its place in `inputs` already says it is upstream, so role and tier are optional."""

    role: Role | None = Field(default=None, examples=["upstream_supplier"],
                              description=f"`{INPUT_SUPPLIER_ROLE}` when absent (the result says it was assumed).")


class InputIn(_Strict):
    material: Annotated[str, Field(min_length=1, max_length=200, examples=["polysilicon"])]
    origin_country: Country = None
    origin_region: OptionalText = Field(default=None, examples=["Xinjiang"])
    supplier: InputSupplierIn | None = Field(default=None, description="Who supplied this input.")


class GoodsLineIn(_Strict):
    hs_code: HsCodeText
    description: OptionalText = Field(default=None, examples=["Monocrystalline solar modules"])
    origin_country: Country = None
    origin_region: OptionalText = None
    value: float | None = Field(default=None, ge=0, strict=True)
    currency: Annotated[str | None, Field(default=None, pattern=r"^[A-Za-z]{3}$", examples=["USD"])] = None
    inputs: list[InputIn] = Field(default_factory=list, max_length=100)


# Per request (one record, or every record of a batch together): what the screening and the response cost grows
# with parties and goods lines, not with records, so the caps count those. Input suppliers count as parties.
MAX_PARTIES_PER_REQUEST = 5_000
MAX_GOODS_PER_REQUEST = 5_000
MAX_INPUTS_PER_REQUEST = 20_000


def _items(value: Any, key: str) -> list[Any]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, list) else []


def _check_totals(records: list[Any], pointer: str) -> None:
    """Refuse a request over the caps before its parts are validated one by one (cheap on the raw JSON)."""
    parties = goods = inputs = 0
    for i, record in enumerate(records):
        where = f"{pointer}/{i}" if pointer else ""
        parties += len(_items(record, "parties"))
        for line in _items(record, "goods"):
            goods += 1
            for item in _items(line, "inputs"):
                inputs += 1
                parties += isinstance(item, dict) and isinstance(item.get("supplier"), dict)
        for count, limit, what in ((parties, MAX_PARTIES_PER_REQUEST, "parties (input suppliers included)"),
                                   (goods, MAX_GOODS_PER_REQUEST, "goods lines"),
                                   (inputs, MAX_INPUTS_PER_REQUEST, "goods inputs")):
            if count > limit:
                raise PydanticCustomError("too_large", "more than {limit} {what} in one request (the limit is "
                                          "passed at {where}); split it into several requests",
                                          {"limit": f"{limit:,}", "what": what, "where": where or "/"})


class ScreeningRequest(_Strict):
    reference: Annotated[str, Field(min_length=1, max_length=200, description="Your id: PO, entry number or vendor id.",
                                    examples=["PO-2026-0042"])]
    kind: Literal["shipment", "supplier"]
    parties: list[PartyIn] = Field(min_length=1, max_length=100)
    goods: list[GoodsLineIn] = Field(default_factory=list, max_length=500)

    @model_validator(mode="before")
    @classmethod
    def _within_caps(cls, data: Any) -> Any:
        _check_totals([data], "")
        return data


class ScreeningBatchRequest(_Strict):
    records: list[ScreeningRequest] = Field(min_length=1, max_length=1000, description=(
        "At most 1,000 records, and together at most 5,000 parties (input suppliers included), 5,000 goods "
        "lines and 20,000 goods inputs (422 beyond)."))

    @field_validator("records", mode="before")
    @classmethod
    def _within_caps(cls, records: Any) -> Any:
        if isinstance(records, list):
            _check_totals(records, "/records")
        return records


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
    effect: Effect
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


class BatchRowRef(BaseModel):
    """Where a batch row's result comes from, and what analyst decisions changed since it was screened."""

    batch_id: str
    row: int = Field(description="The row a spreadsheet shows for it (header = row 1).", examples=[2])
    index: int = Field(description="0-based position among the file's data rows.", examples=[0])
    original_verdict: Literal["presumption", "review", "elevated", "clear"] = Field(
        description="The verdict as screened, before analyst decisions (kept for audit).")
    original_risk_score: int = Field(ge=0, le=100)
    decision_ids: list[str] = Field(description="Decisions in force on the row's matches.")
    changed_by: list[str] = Field(description="Those of them that took a match out of the verdict.")


class ScreeningResult(BaseModel):
    id: str
    reference: str
    kind: str
    verdict: Verdict
    risk_score: int = Field(ge=0, le=100)
    summary: str
    evidence: list[EvidenceOut]
    rebuttal_checklist: list[ChecklistItemOut]
    list_versions: dict[str, str]
    created_at: datetime
    lists: list[ListUsage] = Field(default_factory=list, description=LISTS_DESCRIPTION + (
        " Stored with the result: a stored result shows the lists as they were when it was screened (empty for "
        "results stored before this field existed)."))
    warnings: list[str] = Field(default_factory=list, description=LIST_WARNINGS_DESCRIPTION, examples=[
        [*LIST_WARNINGS_EXAMPLE, "/goods/0/inputs/0/supplier: no role given; screened as upstream_supplier"]])
    batch_row: BatchRowRef | None = Field(default=None, description=(
        "For a row of a batch upload (id `<batch id>-r<row>`): the row, and its verdict as screened. A batch "
        "row's `verdict`, `risk_score` and `evidence` follow the organisation's decisions recorded since."))


class ChecklistRefOut(BaseModel):
    id: str = Field(description="Key into the response's `checklist`.")
    done: bool = False


class ScreeningBatchItem(ScreeningResult):
    """A result as in `GET /v1/screenings/{id}`, with shared parts referenced instead of repeated: an evidence
    item's `list_entry` holds `ref` (key into `list_entries`), `source`, `entry_id` and `name`, and the
    checklist items are referenced by id."""

    rebuttal_checklist: list[ChecklistRefOut]  # type: ignore[assignment]


class ScreeningBatchResult(BaseModel):
    data: list[ScreeningBatchItem]
    count: int
    list_entries: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Every list entry the evidence refers to, once, keyed `<source>/<entry_id>`.")
    checklist: dict[str, ChecklistItemOut] = Field(
        default_factory=dict, description="Every rebuttal checklist item of the results, once, by id.")
    lists: list[ListUsage] = Field(default_factory=list, description=LISTS_DESCRIPTION + " (All the results "
                                   "of one call are screened against the same versions.)")
    warnings: list[str] = Field(default_factory=list, description=(
        "The warnings about the lists used, once (each result's `warnings` has them too, with its own)."),
        examples=[LIST_WARNINGS_EXAMPLE])


class ScreeningsPage(BaseModel):
    data: list[ScreeningResult]
    count: int
    limit: int
    offset: int
