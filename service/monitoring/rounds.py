"""Re-screen rounds: one per new set of active list versions, started by exactly one process, in chunks.

Every process's list registry reports a new view (`service.jobs.rescreen.on_lists_changed`). The round's id
is a hash of the active pointers, so the insert of its row succeeds in exactly one process (the primary key
decides); that process splits the monitored suppliers into chunks, one job each. A chunk is re-screened in
one transaction: its suppliers are locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and a supplier already
re-screened in this round is skipped, so a retried or duplicated job re-screens nobody twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from sqlmodel import Session

from service.lists.usage import ListsUsed
from service.monitoring.rescreen import rescreen_supplier
from service.screening.verdict import ScreeningContext
from service.services.context import ContextProvider
from service.store import lists_repo, monitor_repo
from service.store.monitor_tables import MonitorRoundRow
from service.timestamps import utcnow

CHUNK_SUPPLIERS = 200
FRESH_WAIT_SECONDS = 15.0  # how long a worker waits for its list poller to reach the round's versions


class StaleListsError(RuntimeError):
    """This process does not yet see the list versions of the round; the job is retried."""


@dataclass(frozen=True)
class ChunkDone:
    suppliers: int  # re-screened by this job
    alerts: int


def round_id(pointers: dict[str, int]) -> str:
    return hashlib.sha256(json.dumps(sorted(pointers.items())).encode()).hexdigest()


def start_round(session: Session, pointers: dict[str, int], *, chunk_size: int = CHUNK_SUPPLIERS
                ) -> MonitorRoundRow | None:
    """The new round, in the caller's transaction; None when another process (or an earlier start of this one)
    already has it."""
    rid = round_id(pointers)
    if session.get(MonitorRoundRow, rid) is not None:
        return None
    ids = monitor_repo.all_supplier_ids(session)
    row = MonitorRoundRow(id=rid, pointers=dict(pointers),
                          chunks=[ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)])
    return row if monitor_repo.claim_round(session, row) else None


def _version_ids(labels: dict[str, str]) -> dict[str, int]:
    return {source: int(label.split()[0][1:]) for source, label in labels.items()}


def _fresh_context(context: ContextProvider, org_id: str, pointers: dict[str, int]
                   ) -> tuple[ScreeningContext, dict[str, str], ListsUsed]:
    """The context for the round's versions or newer; waits for a lagging list poller."""
    deadline = time.monotonic() + FRESH_WAIT_SECONDS
    while True:
        ctx, labels, used = context(org_id)
        seen = _version_ids(labels)
        if all(seen.get(source, -1) >= vid for source, vid in pointers.items()):
            return ctx, labels, used
        if time.monotonic() > deadline:
            raise StaleListsError(f"list versions {seen} older than the round's {pointers}")
        time.sleep(0.5)


def list_changes(session: Session, rnd: MonitorRoundRow) -> dict[tuple[str, str], dict[str, object]]:
    """(source, entry id) -> how the lists changed that entry since the previous round (added or changed, by which
    version), so the alerts a round raises name the list change behind them. Empty for the first round."""
    previous = monitor_repo.previous_round(session, rnd)
    if previous is None:
        return {}
    found: dict[tuple[str, str], dict[str, object]] = {}
    for source, version_id in rnd.pointers.items():
        for row in lists_repo.changes_between(session, source, previous.pointers.get(source, 0), version_id):
            for kind, items in (("added", row.added), ("changed", row.changed)):
                for item in items:
                    found[(source, item["entry_id"])] = {
                        "change": kind, "version_id": row.version_id, "source": source,
                        "entry_id": item["entry_id"], "name": item["name"],
                        "fields": sorted(item.get("fields", {})), "at": row.at.isoformat()}
    return found


def rescreen_chunk(session: Session, context: ContextProvider, round_id: str, seq: int) -> ChunkDone:
    """Re-screen one chunk of a round in the caller's transaction."""
    rnd = session.get(MonitorRoundRow, round_id)
    if rnd is None or seq >= len(rnd.chunks):
        return ChunkDone(0, 0)
    pointers = dict(rnd.pointers)
    todo = [s for s in monitor_repo.lock_suppliers(session, rnd.chunks[seq]) if s.last_round_id != round_id]
    contexts: dict[str, tuple[ScreeningContext, dict[str, str], ListsUsed]] = {}
    changes = list_changes(session, rnd) if todo else {}
    alerts = 0
    for supplier in todo:
        if supplier.org_id not in contexts:
            contexts[supplier.org_id] = _fresh_context(context, supplier.org_id, pointers)
        ctx, labels, used = contexts[supplier.org_id]
        alerts += len(rescreen_supplier(session, supplier, ctx, labels, used, round_id, changes))
    locked = monitor_repo.lock_round(session, round_id)
    if locked is not None and todo:
        locked.chunks_done += 1
        if locked.chunks_done >= len(locked.chunks):
            locked.finished_at = utcnow()
        session.add(locked)
    return ChunkDone(len(todo), alerts)
