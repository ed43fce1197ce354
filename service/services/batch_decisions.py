"""A decision recorded or withdrawn changes what the organisation's batch rows about that party show: their
verdict after decisions is worked out again from their stored evidence, and their batches recounted."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlmodel import Session

from service.lists.active import ActiveLists
from service.screening.redecide import apply, block_key
from service.services.batch_rows import blocks_for
from service.store import batches_repo, decisions_repo


def redecide(session: Session, org_id: str, party: str, lists: ActiveLists) -> int:
    """Apply the decisions now in force on `party` (a party key) to every batch row of the organisation about
    it; returns how many rows changed. Runs in the caller's transaction, with the decision itself."""
    findings = batches_repo.findings_of_party(session, org_id, party)
    if not findings:
        return 0
    decisions = [d for d in decisions_repo.of_org(session, org_id, include_revoked=False)
                 if decisions_repo.row_key(d) == party]
    wanted = {key[:2] for f in findings for item in f.result.get("evidence") or [] if (key := block_key(item))}
    entries = {(e.source, e.entry_id): e for e in lists.entries if (e.source, e.entry_id) in wanted}
    deltas: dict[str, Counter[str]] = defaultdict(Counter)
    changed = 0
    for finding in findings:
        evidence = finding.result.get("evidence") or []
        blocks = blocks_for(evidence, decisions, entries) or None
        now = apply(evidence, blocks or [])
        if (now.verdict, now.risk_score, blocks) == (finding.verdict, finding.risk_score, finding.decisions):
            continue
        deltas[finding.batch_id].update({finding.verdict: -1, now.verdict: 1})
        finding.verdict, finding.risk_score, finding.decisions = now.verdict, now.risk_score, blocks
        session.add(finding)
        changed += 1
    session.flush()
    for batch_id, delta in sorted(deltas.items()):  # one order everywhere: no two transactions lock crosswise
        batch = batches_repo.lock(session, batch_id)
        counts = Counter(batch.counts)
        counts.update(delta)
        batch.counts = {verdict: n for verdict, n in counts.items() if n > 0}
        session.add(batch)
    return changed
