"""Batch rows as results an analyst can follow: a screening id per row, its evidence, and the analyst
decisions in force on it.

Design: a batch row is not copied into the `screening` table (100,000 rows would cost a stored result each);
its id names the row, `<batch id>-r<spreadsheet row>`, and `GET /v1/screenings/{id}` (and its report) reads
it from the batch tables. Rows that were not clear as screened keep their full evidence (`batch_finding`);
clear rows keep their compact result, so their screening lists no evidence. A row keeps its evidence as
screened, before decisions, and the decisions in force on its matches; what it shows (`verdict`, `risk_score`,
evidence with decisions) is the two put together (`service/screening/redecide.py`), next to the original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from service import countries
from service.lists.usage import with_caveat
from service.refdata.loaders import load_checklist
from service.screening.decisions import INVALIDATED, entry_hash, party_key
from service.screening.model import ListEntry
from service.screening.reasons import reason
from service.screening.record import GoodsLine, Party, Record
from service.screening.redecide import Applied, apply, block_key
from service.screening.verdict import CLEAR_SUMMARY
from service.services.screening import checklist_item
from service.store import batches_repo
from service.store.tables import BatchFindingRow, BatchRow, DecisionRow

_ID = re.compile(r"^(?P<batch>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r(?P<row>[1-9][0-9]{0,8})$")


def screening_id(batch_id: str, row_number: int) -> str:
    return f"{batch_id}-r{row_number}"


def parse_screening_id(value: str) -> tuple[str, int] | None:
    """(batch id, spreadsheet row) of a batch row's screening id; None for any other id."""
    found = _ID.match(value)
    return (found["batch"], int(found["row"])) if found else None


def evidence_path(sid: str) -> str:
    return f"/v1/screenings/{sid}"


def report_path(sid: str) -> str:
    return f"/v1/screenings/{sid}/report"


def finding_values(batch_id: str, row: Mapping[str, Any], party: Party, full: dict[str, Any]) -> dict[str, Any]:
    """The `batch_finding` row of a screened row: as screened, and after the decisions found in force."""
    blocks = full.pop("decisions", None) or []
    now = apply(full["evidence"], blocks)
    return {"batch_id": batch_id, "row_index": row["i"], "row_number": row["n"], "verdict": now.verdict,
            "risk_score": now.risk_score, "original_verdict": full["verdict"],
            "original_risk_score": full["risk_score"], "name": party.name,
            "party_key": party_key(party.name, party.country), "decisions": blocks or None, "result": full}


@dataclass(frozen=True)
class RowView:
    """What a row that was not clear shows now: its evidence with the decisions in force."""

    verdict: str
    risk_score: int
    summary: str
    evidence: list[dict[str, Any]]
    checklist: list[str]
    warnings: list[str]
    reason: str
    original_verdict: str
    original_risk_score: int
    decision_ids: list[str]  # every decision in force on the row's matches
    changed_by: list[str]  # those that took a match out of the verdict


def view(finding: BatchFindingRow) -> RowView:
    result = finding.result
    blocks = finding.decisions or []
    now: Applied = apply(result.get("evidence") or [], blocks)
    checklist = list(result.get("rebuttal_checklist") or []) if now.verdict in ("presumption", "review") else []
    original_score = finding.original_risk_score
    return RowView(now.verdict, now.risk_score, now.summary, now.evidence, checklist,
                   list(result.get("warnings") or []), reason(now.evidence),
                   finding.original_verdict or str(result.get("verdict")),
                   original_score if original_score is not None else int(result.get("risk_score") or 0),
                   [str(b["id"]) for b in blocks], now.changed_by)


def blocks_for(evidence: Sequence[Mapping[str, Any]], decisions: Sequence[DecisionRow],
               entries: Mapping[tuple[str, str], ListEntry]) -> list[dict[str, Any]]:
    """The decision blocks for a row's party matches: the newest decision on each (party, entry) pair, in force
    when the entry is unchanged in the active lists (as `GET /v1/decisions` reports it)."""
    newest = {(d.source, d.entry_id): d for d in decisions}  # oldest first: the newest wins
    blocks = {}
    for item in evidence:
        key = block_key(item)
        decision = newest.get(key[:2]) if key is not None else None
        if key is None or decision is None:
            continue
        entry = entries.get(key[:2])
        valid = entry is not None and entry_hash(entry) == decision.entry_hash
        blocks[key] = {"id": decision.id, "decision": decision.decision, "reason": decision.reason,
                       "analyst": decision.analyst, "created_at": decision.created_at.isoformat(),
                       "status": "applied" if valid else INVALIDATED, "source": key[0], "entry_id": key[1],
                       "pointer": key[2]}
    return list(blocks.values())


def row_result(session: Session, org_id: str, sid: str) -> dict[str, Any] | None:
    """`GET /v1/screenings/{id}` for a batch row's id: the row's result as it shows now, with the original
    verdict, the decisions in force and where the row is; None when no screened row of the organisation has it."""
    parsed = parse_screening_id(sid)
    batch = batches_repo.get(session, org_id, parsed[0]) if parsed else None
    if parsed is None or batch is None:
        return None
    found = batches_repo.row_at(session, batch, parsed[1])
    if found is None or found[0].results is None:
        return None  # no such row, or not screened yet
    chunk, position = found
    row = chunk.rows[position]
    compact = next(r for r in chunk.results or [] if r["i"] == row["i"])
    finding = batches_repo.finding_at(session, batch.id, row["n"])
    record = row_record(row, batch_columns(batch))
    shown = view(finding) if finding is not None else None
    verdict = shown.verdict if shown else compact["verdict"]
    used = batch.lists_used or {}
    return {
        "id": sid, "reference": record.reference, "kind": "supplier", "verdict": verdict,
        "risk_score": shown.risk_score if shown else compact["risk_score"],
        "summary": with_caveat(shown.summary if shown else CLEAR_SUMMARY, verdict, used.get("caveat")),
        "evidence": shown.evidence if shown else [],
        "rebuttal_checklist": checklist_items(shown.checklist if shown else []),
        "list_versions": batch.list_versions, "created_at": chunk.finished_at or batch.created_at,
        "lists": used.get("lists") or [],
        "warnings": [*(used.get("warnings") or []),
                     *(shown.warnings if shown else list(compact.get("warnings") or []))],
        "batch_row": {"batch_id": batch.id, "row": row["n"], "index": row["i"],
                      "original_verdict": shown.original_verdict if shown else verdict,
                      "original_risk_score": shown.original_risk_score if shown else compact["risk_score"],
                      "decision_ids": shown.decision_ids if shown else [],
                      "changed_by": shown.changed_by if shown else []},
    }


def checklist_items(ids: Sequence[str]) -> list[dict[str, object]]:
    items = {item.id: item for item in load_checklist().items}
    return [checklist_item(items[i]) for i in ids if i in items]


def finding_dict(batch_id: str, finding: BatchFindingRow) -> dict[str, Any]:
    """A finding as reports and the findings endpoint show it: after decisions, next to the original."""
    now = view(finding)
    sid = screening_id(batch_id, finding.row_number or finding.row_index + 2)
    return {"row": finding.row_number, "index": finding.row_index, "name": finding.name, "verdict": now.verdict,
            "risk_score": now.risk_score, "original_verdict": now.original_verdict,
            "original_risk_score": now.original_risk_score, "decision_ids": now.decision_ids,
            "changed_by": now.changed_by, "reason": now.reason, "screening_id": sid,
            "evidence_url": evidence_path(sid), "report_url": report_path(sid),
            "result": {"verdict": now.verdict, "risk_score": now.risk_score, "summary": now.summary,
                       "evidence": now.evidence, "rebuttal_checklist": now.checklist, "warnings": now.warnings}}


# the stored row as the record the engine screens (batch jobs, supplier registration, the console)
def batch_columns(batch: BatchRow) -> dict[str, int]:
    """Field -> position of its column in the stored rows, from the batch's header mapping."""
    return {field: batch.headers.index(header) for field, header in batch.mapping.items()}


def row_record(row: dict[str, Any], columns: dict[str, int]) -> Record:
    return row_screening(row, columns)[0]


def row_screening(row: dict[str, Any], columns: dict[str, int]) -> tuple[Record, list[str]]:
    """The stored row as the record the engine screens, and the warnings about it: a country cell that names
    no country is left out (the row is still screened, and its cell kept in the results file)."""
    values: list[str] = row["v"]

    def cell(field: str) -> str | None:
        i = columns.get(field)
        value = values[i].strip() if i is not None and i < len(values) else ""
        return value or None

    written = cell("country")
    country = countries.lookup(written)
    warnings = [countries.dropped_warning("country", written)] if written and country is None else []
    kind = cell("type")
    party = Party(role="supplier", name=cell("name") or "", pointer="/parties/0", chinese_name=cell("chinese_name"),
                  address=cell("address"), city=cell("city"), country=country,
                  type=kind if kind in ("company", "person") else None)  # type: ignore[arg-type]
    hs = cell("hs_code")
    goods = (GoodsLine(pointer="/goods/0", hs_code=hs, origin_country=party.country),) if hs else ()
    record = Record(reference=cell("reference") or f"row {row['n']}", kind="supplier", parties=(party,), goods=goods)
    return record, warnings
