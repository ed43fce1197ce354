"""The organisation's monitored suppliers: registered (single, bulk or from a finished batch), each with its
last screening; re-screened whenever a list gets a new active version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session

from service.api.auth import AUTH_RESPONSES, AdminKey, Principal, ReadKey
from service.api.deps import ActiveListsDep, Offset, RelationsDep, SessionDep, SettingsDep
from service.api.errors import ConflictError, NotFoundError, UnprocessableError
from service.api.schemas_screening import HsCodeText, ScreeningRequest
from service.api.text import Country, Name, OptionalText
from service.lists.active import ActiveLists
from service.monitoring.register import MAX_SUPPLIERS, Skipped, batch_requests, register
from service.screening.relations import RelationsView
from service.screening.verdict import ScreeningContext
from service.services.context import default_thresholds, screening_context
from service.settings import Settings
from service.store import auth_repo, decisions_repo, monitor_repo
from service.store.monitor_tables import SupplierRow

router = APIRouter(prefix="/v1/suppliers", tags=["monitoring"], responses=AUTH_RESPONSES)
Verdict = Literal["presumption", "review", "elevated", "clear"]
# SQLite hands timestamps back without their zone; they are UTC.
UtcDatetime = Annotated[datetime, AfterValidator(lambda v: v if v.tzinfo else v.replace(tzinfo=UTC))]


class SupplierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=1, max_length=200, description="Your vendor id; unique per organisation.",
                           examples=["V-1042"])
    name: Name = Field(examples=["Xinjiang Daqo New Energy Co Ltd"])
    type: Literal["company", "person"] | None = None
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
    type: Literal["company", "person"] | None = None
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


def _context(session: Session, lists: ActiveLists, settings: Settings, principal: Principal,
             relations: RelationsView) -> ScreeningContext:
    return screening_context(lists, default_thresholds(settings), decisions_repo.active_map(session, principal.org_id),
                             relations)


def _public(row: SupplierRow) -> SupplierPublic:
    return SupplierPublic.model_validate(row, from_attributes=True)


@router.post("", status_code=201, summary="Register suppliers for monitoring (one, bulk, or a finished batch)",
             response_model=SupplierPublic | SuppliersPage,
             responses={**UnprocessableError.response_doc(), **ConflictError.response_doc(),
                        **NotFoundError.response_doc()})
def create_suppliers(body: SupplierRegistration, principal: AdminKey, session: SessionDep,
                     lists: ActiveListsDep, settings: SettingsDep,
                     relations: RelationsDep) -> SupplierPublic | SuppliersPage:
    """Each supplier is screened at once; when a list gets a new active version it is screened again and
    an alert is raised if its verdict worsens or it matches a new entry.

    Bodies: one supplier `{"reference": "V-1", "name": "...", "country": "CN"}`; up to 1,000 as
    `{"suppliers": [...]}`; or the rows of a finished batch `{"from_batch": "<batch id>"}`.
    A reference already monitored is a 409 and nothing is stored."""
    skipped: list[Skipped] = []
    one = body.single()
    if body.from_batch is not None:
        requests, skipped = batch_requests(session, principal.org_id, body.from_batch)
    else:
        requests = [s.request() for s in ([one] if one is not None else body.suppliers or [])]
    view = relations.view_for(lists)
    ctx = _context(session, lists, settings, principal, view)
    rows = register(session, principal, requests, ctx, {**lists.version_labels(), **view.versions})
    if one is not None:
        return _public(rows[0])
    return SuppliersPage(data=[_public(r) for r in rows], count=len(rows),
                         skipped=[SkippedRow(reference=s.reference, reason=s.reason) for s in skipped])


@router.get("", summary="The organisation's monitored suppliers", response_model=SuppliersPage)
def list_suppliers(principal: ReadKey, session: SessionDep, verdict: Annotated[Verdict | None, Query()] = None,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0
                   ) -> SuppliersPage:
    total, rows = monitor_repo.suppliers(session, principal.org_id, verdict=verdict, limit=limit, offset=offset)
    return SuppliersPage(data=[_public(r) for r in rows], count=total)


@router.get("/{supplier_id}", summary="One monitored supplier", response_model=SupplierPublic,
            responses=NotFoundError.response_doc())
def get_supplier(supplier_id: str, principal: ReadKey, session: SessionDep) -> SupplierPublic:
    row = monitor_repo.supplier(session, principal.org_id, supplier_id)
    if row is None:
        raise NotFoundError(f"no supplier {supplier_id!r}")
    return _public(row)


@router.delete("/{supplier_id}", summary="Stop monitoring a supplier", response_model=SupplierPublic,
               responses=NotFoundError.response_doc())
def delete_supplier(supplier_id: str, principal: AdminKey, session: SessionDep) -> SupplierPublic:
    """Its screenings and alerts are kept."""
    row = monitor_repo.supplier(session, principal.org_id, supplier_id)
    if row is None:
        raise NotFoundError(f"no supplier {supplier_id!r}")
    public = _public(row)
    session.delete(row)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="supplier.deleted",
                        subject=row.id, details={"reference": row.reference})
    return public
