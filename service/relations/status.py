"""Relation sources and versions as plain rows, like the lists' status: for the API and the CLI."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from service.lists.versions import is_stale
from service.store import relations_repo
from service.store.relations_tables import RelationVersion


def version_row(v: RelationVersion, *, active: bool = True) -> dict[str, Any]:
    return {"id": v.id, "content_hash": v.content_hash, "loaded_at": v.loaded_at, "origin": v.origin,
            "relation_count": v.relation_count, "org_count": v.org_count, "snapshot_date": v.snapshot_date,
            "coverage_note": v.coverage_note, "active": active}


def relation_sources(session: Session, *, stale_after_days: int) -> list[dict[str, Any]]:
    return [{"source": v.source, "relation_count": v.relation_count, "org_count": v.org_count,
             "snapshot_date": v.snapshot_date, "coverage_note": v.coverage_note,
             # the same age rule as the lists' (snapshot date, else load time); RelationVersion has both fields
             "stale": is_stale(v, max_age_days=stale_after_days),  # type: ignore[arg-type]
             "active_version": version_row(v)} for v in relations_repo.active_versions(session)]


def versions(session: Session, source: str) -> list[dict[str, Any]] | None:
    """Every version of `source`, newest first; None for a source never loaded."""
    active = relations_repo.active_version(session, source)
    if active is None:
        return None
    return [version_row(v, active=v.id == active.id) for v in relations_repo.versions_of(session, source)]
