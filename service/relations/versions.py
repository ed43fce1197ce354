"""Versioned, atomic relation loads, with the list loads' guards: a version is written whole and the active
pointer flips in the same transaction; an empty load is refused, identical content is a no-op, and a
shrink beyond the configured ratio needs `allow_shrink`. Every version is kept."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session

from service.relations.errors import RelationsLoadError
from service.relations.model import Loaded
from service.store import auth_repo, relations_repo
from service.store.relations_tables import RelationVersion
from service.store.tables import GLOBAL_ORG


@dataclass(frozen=True)
class RelationsLoad:
    loaded: Loaded
    origin: str
    hops: int
    snapshot_date: str | None = None
    coverage_note: str | None = None
    allow_shrink: bool = False
    actor: str = "cli"


@dataclass(frozen=True)
class RelationsOutcome:
    status: Literal["loaded", "unchanged"]
    source: str
    version_id: int
    relation_count: int
    previous_count: int | None
    message: str


def content_hash(loaded: Loaded) -> str:
    """sha256 of the orgs and relations in a canonical order: the same content loads once."""
    orgs = sorted([o.key, o.name, list(o.aliases), o.country, o.lei, o.entity_type] for o in loaded.orgs)
    rels = sorted([r.subject, r.object, r.kind, r.source, r.citation, r.share, str(r.start), str(r.end)]
                  for r in loaded.relations)
    blob = json.dumps([orgs, rels], ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def load_relations(session: Session, req: RelationsLoad, *, max_shrink_ratio: float) -> RelationsOutcome:
    """Write a new version and make it active in the caller's transaction, or say why not."""
    loaded = req.loaded
    source, count = loaded.source, len(loaded.relations)
    if not count:
        raise RelationsLoadError(f"{req.origin}: no relation reaches a listed entity within {req.hops} hops "
                                 f"({loaded.note(req.hops)}); refusing to activate an empty {source} version")
    digest = content_hash(loaded)
    current = relations_repo.active_version(session, source)
    previous = current.relation_count if current else None
    if current is not None and current.content_hash == digest:
        assert current.id is not None
        return RelationsOutcome("unchanged", source, current.id, count, previous,
                                f"{source}: content identical to active version {current.id}; nothing loaded")
    if previous and not req.allow_shrink and count < previous * (1 - max_shrink_ratio):
        raise RelationsLoadError(f"{source}: update would shrink the relations from {previous} to {count} "
                                 f"({(previous - count) / previous:.1%} fewer, limit {max_shrink_ratio:.0%}); "
                                 "refused. Check the files, or pass --allow-shrink if this is intended.")
    version = relations_repo.add_version(session, RelationVersion(
        source=source, content_hash=digest, relation_count=count, org_count=len(loaded.orgs), origin=req.origin,
        snapshot_date=req.snapshot_date or loaded.snapshot_date or date.today().isoformat(),
        coverage_note=req.coverage_note or loaded.note(req.hops)), loaded.orgs, loaded.relations)
    assert version.id is not None
    relations_repo.activate(session, source, version.id)
    auth_repo.add_event(session, org_id=GLOBAL_ORG, actor=req.actor, type="relations.updated", subject=source,
                        request_hash=digest, details={"version_id": version.id, "relations": count,
                                                      "orgs": len(loaded.orgs), "previous": previous,
                                                      "origin": req.origin})
    return RelationsOutcome("loaded", source, version.id, count, previous,
                            f"{source}: loaded version {version.id} with {count} relations among "
                            f"{len(loaded.orgs)} organisations" + (f" (was {previous})" if previous else ""))
