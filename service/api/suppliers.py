"""The organisation's monitored suppliers: registered (single, bulk or from a finished batch), each with its
last screening; re-screened whenever a list gets a new active version."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from service.api.auth import AUTH_RESPONSES, AdminKey, ReadKey
from service.api.deps import ActiveListsDep, Offset, RelationsDep, SessionDep, SettingsDep
from service.api.owned import OwnSupplier
from service.contracts.monitoring import SkippedRow, SupplierPublic, SupplierRegistration, SuppliersPage
from service.contracts.principal import Principal
from service.errors import ConflictError, NotFoundError, UnprocessableError
from service.lists.active import ActiveLists
from service.monitoring.register import Skipped, batch_requests, register
from service.screening.relations import RelationsView
from service.screening.verdict import ScreeningContext
from service.screening.vocabulary import Verdict
from service.services.context import default_thresholds, screening_context, used_lists
from service.settings import Settings
from service.store import auth_repo, decisions_repo, monitor_repo
from service.store.monitor_tables import SupplierRow

router = APIRouter(prefix="/v1/suppliers", tags=["monitoring"], responses=AUTH_RESPONSES)


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
    rows = register(session, principal, requests, ctx, {**lists.version_labels(), **view.versions},
                    used_lists(lists, settings))
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
def get_supplier(principal: ReadKey, row: OwnSupplier) -> SupplierPublic:
    return _public(row)


@router.delete("/{supplier_id}", summary="Stop monitoring a supplier", response_model=SupplierPublic,
               responses=NotFoundError.response_doc())
def delete_supplier(principal: AdminKey, row: OwnSupplier, session: SessionDep) -> SupplierPublic:
    """Its screenings and alerts are kept."""
    public = _public(row)
    session.delete(row)
    auth_repo.add_event(session, org_id=principal.org_id, actor=principal.actor, type="supplier.deleted",
                        subject=row.id, details={"reference": row.reference})
    return public
