"""A re-screen round per new set of active list versions, started by exactly one process.

Every process's list registry calls `on_lists_changed` when it swaps in a new view. The round's id is a
hash of the active pointers, so the insert of its row succeeds in exactly one process (the primary key
decides); that process splits the monitored suppliers into chunks and enqueues one job per chunk.
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.monitoring.jobs import Queue, enqueue_round
from service.store import monitor_repo
from service.store.monitor_tables import MonitorRoundRow

log = logging.getLogger(__name__)
CHUNK_SUPPLIERS = 200


def round_id(pointers: dict[str, int]) -> str:
    return hashlib.sha256(json.dumps(sorted(pointers.items())).encode()).hexdigest()


def start_round(engine: Engine, pointers: dict[str, int], *, chunk_size: int = CHUNK_SUPPLIERS
                ) -> MonitorRoundRow | None:
    """The new round, or None when another process (or an earlier start of this one) already has it."""
    rid = round_id(pointers)
    with Session(engine, expire_on_commit=False) as session:
        if session.get(MonitorRoundRow, rid) is not None:
            return None
        ids = monitor_repo.all_supplier_ids(session)
        row = MonitorRoundRow(id=rid, pointers=dict(pointers),
                              chunks=[ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)])
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return None
    return row


def on_lists_changed(engine: Engine, pointers: dict[str, int], queue: Queue) -> None:
    """Called from ListRegistry.refresh() after a new view is swapped in; never raises."""
    try:
        row = start_round(engine, pointers)
        if row is None:
            return
        log.info("monitor round %s: %d suppliers in %d chunks", row.id[:12], sum(map(len, row.chunks)),
                 len(row.chunks))
        if row.chunks:
            enqueue_round(queue, engine, row.id, len(row.chunks))
    except Exception:  # a failed round start must never break the list refresh
        log.exception("could not start a monitor round for %s", pointers)
