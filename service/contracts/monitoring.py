"""Monitored suppliers, their alerts, and webhooks with their deliveries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AnyHttpUrl, BaseModel, ConfigDict, Field, model_validator

from service.contracts.screening import HsCodeText, ScreeningRequest
from service.contracts.text import Country, Name, OptionalText
from service.screening.vocabulary import PartyType, Verdict

MAX_SUPPLIERS = 1000  # per registration call
# SQLite hands timestamps back without their zone; they are UTC.
UtcDatetime = Annotated[datetime, AfterValidator(lambda v: v if v.tzinfo else v.replace(tzinfo=UTC))]


class SupplierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=1, max_length=200, description="Your vendor id; unique per organisation.",
                           examples=["V-1042"])
    name: Name = Field(examples=["Xinjiang Daqo New Energy Co Ltd"])
    type: PartyType | None = None
    chinese_name: OptionalText = Field(default=None, examples=["新疆大全新能源股份有限公司"])
    address: OptionalText = None
    city: OptionalText = None
    region: OptionalText = None
    country: Country = None
    hs_code: HsCodeText | None = Field(default=None, description="What you buy from this supplier (optional).")

    def request(self) -> ScreeningRequest:
        party = self.model_dump(exclude={"reference", "hs_code"}) | {"role": "supplier"}
        goods = [{"hs_code": self.hs_code, "origin_country": self.country}] if self.hs_code else []
        return ScreeningRequest.model_validate({"reference": self.reference, "kind": "supplier",
                                                "parties": [party], "goods": goods})


class SupplierRegistration(BaseModel):
    """One supplier (its fields at the top level), or `suppliers` (up to 1,000), or `from_batch`."""

    model_config = ConfigDict(extra="forbid")
    suppliers: list[SupplierIn] | None = Field(default=None, min_length=1, max_length=MAX_SUPPLIERS)
    from_batch: str | None = Field(default=None, min_length=1, max_length=36,
                                   description="A finished batch of your organisation: its rows are registered.")
    reference: str | None = Field(default=None, min_length=1, max_length=200, examples=["V-1042"],
                                  description="Your vendor id; unique per organisation.")
    name: Name | None = Field(default=None, examples=["Xinjiang Daqo New Energy Co Ltd"])
    type: PartyType | None = None
    chinese_name: OptionalText = None
    address: OptionalText = None
    city: OptionalText = None
    region: OptionalText = None
    country: Country = None
    hs_code: HsCodeText | None = None

    @model_validator(mode="after")
    def _one_form(self) -> SupplierRegistration:
        single = self.model_dump(exclude={"suppliers", "from_batch"}, exclude_none=True)
        forms = sum((self.suppliers is not None, self.from_batch is not None, bool(single)))
        if forms != 1:
            raise ValueError("send one supplier (reference, name, ...), or `suppliers`, or `from_batch`")
        if single and not (self.reference and self.name):
            raise ValueError("a supplier needs `reference` and `name`")
        return self

    def single(self) -> SupplierIn | None:
        fields = self.model_dump(exclude={"suppliers", "from_batch"}, exclude_none=True)
        return SupplierIn.model_validate(fields) if fields else None


class SupplierPublic(BaseModel):
    id: str
    reference: str
    name: str
    last_screening_id: str = Field(description="GET /v1/screenings/{id} for the full result.")
    last_verdict: Verdict
    last_risk_score: int
    last_matches: list[list[str]] = Field(description="[source, entry_id] of the list matches behind the verdict.",
                                          examples=[[["uflpa_entity_list", "uflpa-003"]]])
    created_at: UtcDatetime
    screened_at: UtcDatetime


class SkippedRow(BaseModel):
    reference: str
    reason: str


class SuppliersPage(BaseModel):
    data: list[SupplierPublic]
    count: int
    skipped: list[SkippedRow] = Field(default_factory=list, description="Batch rows that could not be registered.")


class AlertPublic(BaseModel):
    id: str
    type: Literal["verdict_worse", "new_match"] = Field(
        description="`verdict_worse`: clear < elevated < review < presumption got worse; `new_match`: a list "
                    "entry matched that did not match last time.")
    supplier_id: str
    supplier_reference: str
    supplier_name: str
    screening_id: str = Field(description="The re-screen that raised the alert.")
    previous_screening_id: str | None
    details: dict[str, Any] = Field(description="verdict_worse: old/new verdict and score; new_match: the list "
                                                "entry with its citation, the match score and the party.")
    created_at: UtcDatetime
    acknowledged_at: UtcDatetime | None
    acknowledged_by: str | None
    note: str | None


class AlertsPage(BaseModel):
    data: list[AlertPublic]
    count: int


class Acknowledge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(min_length=1, max_length=4000, examples=["Supplier contacted; audit report requested"])


Event = Literal["alert.created"]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: AnyHttpUrl = Field(description="http(s) URL that receives a POST per event.",
                            examples=["https://erp.example.com/hooks/flrisk"])
    events: list[Event] = Field(min_length=1, max_length=10, examples=[["alert.created"]])
    secret: str = Field(min_length=16, max_length=200, description="Shared secret for the `X-Flrisk-Signature` "
                        "HMAC (see docs/webhooks.md); never returned.", examples=["whsec_9c1d0c3f5e8a4b7d"])


class WebhookPublic(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: UtcDatetime


class WebhooksPage(BaseModel):
    data: list[WebhookPublic]
    count: int


class DeliveryPublic(BaseModel):
    id: str
    event: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None = Field(description="HTTP status of the last attempt; null if none was received.")
    last_error: str | None = Field(description="Why the last attempt failed, in general terms (the details of "
                                   "network errors are in the server log).",
                                   examples=["HTTP 500", "no HTTP response from the receiver"])
    created_at: UtcDatetime
    last_attempt_at: UtcDatetime | None
    next_attempt_at: UtcDatetime | None = Field(description="When a pending delivery is tried again.")
    finished_at: UtcDatetime | None


class DeliveriesPage(BaseModel):
    data: list[DeliveryPublic]
    count: int
