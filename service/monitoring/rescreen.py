"""Re-screen one monitored supplier and compare the new result with the last: worse verdict or new match -> alert."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from service.contracts.screening import ScreeningRequest, ScreeningResult
from service.contracts.text import without_unknown_countries
from service.lists.usage import ListsUsed
from service.monitoring.webhooks import enqueue_event
from service.screening.verdict import ScreeningContext, screen
from service.screening.vocabulary import VERDICT_RANK
from service.services.screening import result_of, to_record
from service.store import auth_repo
from service.store.monitor_tables import AlertRow, SupplierRow
from service.store.tables import ScreeningRow
from service.timestamps import utcnow

ACTOR = "system:monitor"
MATCH_TYPES = ("list_match", "ownership")  # ownership: a path to a list entry through a related organisation


def matched_pairs(result: ScreeningResult) -> list[list[str]]:
    """[source, entry_id] of the list matches (and ownership paths) that count (a false-positive decision makes a
    match informational)."""
    pairs = {(e.list_entry["source"], e.list_entry["entry_id"]) for e in result.evidence
             if e.type in MATCH_TYPES and e.list_entry and e.effect != "informational"}
    return [list(p) for p in sorted(pairs)]


def screening_row(req: ScreeningRequest, res: ScreeningResult, org_id: str, previous_id: str | None) -> ScreeningRow:
    return ScreeningRow(id=res.id, org_id=org_id, reference=res.reference, kind=res.kind, verdict=res.verdict,
                        risk_score=res.risk_score, created_at=res.created_at, request=req.model_dump(mode="json"),
                        result=res.model_dump(mode="json"), list_versions=res.list_versions,
                        previous_screening_id=previous_id)


ListChanges = Mapping[tuple[str, str], dict[str, Any]]


def compare(supplier: SupplierRow, new: ScreeningResult, changes: ListChanges | None = None) -> list[AlertRow]:
    """The alerts a new screening raises against the supplier's last one (not yet added to any session). With the
    round's list `changes`, an alert names the list entries added or changed that it matched."""
    changes = changes or {}
    found: list[tuple[str, dict[str, Any]]] = []
    if VERDICT_RANK[new.verdict] > VERDICT_RANK.get(supplier.last_verdict, 0):
        pairs = [(p[0], p[1]) for p in matched_pairs(new)]
        caused = [changes[p] for p in pairs if p in changes]
        found.append(("verdict_worse", {"old_verdict": supplier.last_verdict, "new_verdict": new.verdict,
                                        "old_risk_score": supplier.last_risk_score,
                                        "new_risk_score": new.risk_score, "summary": new.summary,
                                        "list_changes": caused}))
    old = {tuple(p) for p in supplier.last_matches}
    seen: set[tuple[str, str]] = set()
    for e in new.evidence:
        if e.type not in MATCH_TYPES or not e.list_entry or e.effect == "informational":
            continue
        pair = (e.list_entry["source"], e.list_entry["entry_id"])
        if pair in old or pair in seen:
            continue
        seen.add(pair)
        found.append(("new_match", {"source": pair[0], "entry_id": pair[1], "name": e.list_entry.get("name"),
                                    "citation": e.list_entry.get("citation"), "effect": e.effect,
                                    "summary": e.summary, "list_entry": e.list_entry, "match": e.match,
                                    "concerns": e.concerns, "new_verdict": new.verdict,
                                    "list_change": changes.get(pair)}))
    return [AlertRow(id=str(uuid.uuid4()), org_id=supplier.org_id, supplier_id=supplier.id,
                     supplier_reference=supplier.reference, supplier_name=supplier.name, type=kind,
                     screening_id=new.id, previous_screening_id=supplier.last_screening_id, details=details)
            for kind, details in found]


def alert_payload(row: AlertRow) -> dict[str, Any]:
    """An alert as the API and the webhook `alert.created` event show it."""
    return {"id": row.id, "type": row.type, "supplier_id": row.supplier_id,
            "supplier_reference": row.supplier_reference, "supplier_name": row.supplier_name,
            "screening_id": row.screening_id, "previous_screening_id": row.previous_screening_id,
            "details": row.details, "created_at": row.created_at.isoformat(),
            "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
            "acknowledged_by": row.acknowledged_by, "note": row.note}


def rescreen_supplier(session: Session, supplier: SupplierRow, ctx: ScreeningContext, labels: dict[str, str],
                      used: ListsUsed, round_id: str | None, changes: ListChanges | None = None) -> list[AlertRow]:
    """Screen again, store the result linked to the previous one, update the supplier, raise alerts."""
    # Stored before countries were normalised, a request may hold one no longer accepted: screen without it.
    req, warnings = without_unknown_countries(ScreeningRequest, supplier.request)
    res = result_of(req, screen(to_record(req), ctx), labels, used, warnings)
    session.add(screening_row(req, res, supplier.org_id, supplier.last_screening_id))
    alerts = compare(supplier, res, changes)
    pairs = matched_pairs(res)
    changed = res.verdict != supplier.last_verdict or pairs != supplier.last_matches
    details = {"old_verdict": supplier.last_verdict, "new_verdict": res.verdict, "alerts": len(alerts)}
    supplier.last_screening_id, supplier.last_verdict, supplier.last_risk_score = res.id, res.verdict, res.risk_score
    supplier.last_matches, supplier.last_round_id, supplier.screened_at = pairs, round_id, utcnow()
    session.add(supplier)
    if changed:
        auth_repo.add_event(session, org_id=supplier.org_id, actor=ACTOR, type="supplier.rescreened",
                            subject=supplier.id, list_versions=labels, details=details)
    for alert in alerts:
        session.add(alert)
        auth_repo.add_event(session, org_id=supplier.org_id, actor=ACTOR, type="alert.created", subject=alert.id,
                            list_versions=labels, details={"supplier_id": supplier.id, "type": alert.type})
        enqueue_event(session, supplier.org_id, "alert.created", alert_payload(alert))
    return alerts
