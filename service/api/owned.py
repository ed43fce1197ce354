"""The caller's own rows, by id: typed dependencies that give a route the row, or a 404 naming the id.

Each reads by (organisation, id) in the SQL `WHERE` (see the repositories), so another organisation's row is
not found, exactly as one that does not exist. In a route's signature the scope dependency (`ReadKey`, ...)
comes first, so a key without the scope gets its 403 before any lookup.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends

from service.api.auth import authenticate_request
from service.api.deps import SessionDep
from service.contracts.principal import Principal
from service.errors import NotFoundError
from service.services.results import stored_result
from service.store import batches_repo, decisions_repo, monitor_repo, screenings_repo
from service.store.monitor_tables import AlertRow, SupplierRow, WebhookRow
from service.store.tables import BatchRow, DecisionRow, ScreeningRow

Caller = Annotated[Principal, Depends(authenticate_request)]
T = TypeVar("T")


def own_batch(batch_id: str, caller: Caller, session: SessionDep) -> BatchRow:
    return _found(batches_repo.get(session, caller.org_id, batch_id), f"no batch {batch_id!r}")


def own_screening(screening_id: str, caller: Caller, session: SessionDep) -> ScreeningRow:
    return _found(screenings_repo.get(session, caller.org_id, screening_id), f"no screening {screening_id!r}")


def own_result(screening_id: str, caller: Caller, session: SessionDep) -> dict[str, Any]:
    """A stored screening result, or a batch row's (`<batch id>-r<row>`)."""
    return _found(stored_result(session, caller.org_id, screening_id), f"no screening {screening_id!r}")


def own_decision(decision_id: str, caller: Caller, session: SessionDep) -> DecisionRow:
    return _found(decisions_repo.get(session, caller.org_id, decision_id), f"no decision {decision_id!r}")


def own_supplier(supplier_id: str, caller: Caller, session: SessionDep) -> SupplierRow:
    return _found(monitor_repo.supplier(session, caller.org_id, supplier_id), f"no supplier {supplier_id!r}")


def own_alert(alert_id: str, caller: Caller, session: SessionDep) -> AlertRow:
    return _found(monitor_repo.alert(session, caller.org_id, alert_id), f"no alert {alert_id!r}")


def own_webhook(webhook_id: str, caller: Caller, session: SessionDep) -> WebhookRow:
    """A deleted webhook included: its deliveries stay readable."""
    return _found(monitor_repo.webhook(session, caller.org_id, webhook_id), f"no webhook {webhook_id!r}")


def _found(row: T | None, missing: str) -> T:
    if row is None:
        raise NotFoundError(missing)
    return row


OwnBatch = Annotated[BatchRow, Depends(own_batch)]
OwnScreening = Annotated[ScreeningRow, Depends(own_screening)]
OwnResult = Annotated[dict[str, Any], Depends(own_result)]
OwnDecision = Annotated[DecisionRow, Depends(own_decision)]
OwnSupplier = Annotated[SupplierRow, Depends(own_supplier)]
OwnAlert = Annotated[AlertRow, Depends(own_alert)]
OwnWebhook = Annotated[WebhookRow, Depends(own_webhook)]
