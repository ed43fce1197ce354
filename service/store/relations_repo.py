"""Queries on relation versions, their orgs and relations. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from service.screening.relations import Org, Relation
from service.store.relations_tables import RelationOrgRow, RelationRow, RelationSource, RelationVersion
from service.store.tables import utcnow

BATCH = 5000


def _active() -> SelectOfScalar[RelationVersion]:
    return select(RelationVersion).join(RelationSource,
                                        col(RelationSource.active_version_id) == col(RelationVersion.id))


def active_versions(session: Session) -> list[RelationVersion]:
    return list(session.exec(_active().order_by(col(RelationVersion.source))))


def active_version(session: Session, source: str) -> RelationVersion | None:
    return session.exec(_active().where(RelationVersion.source == source)).first()


def active_pointers(session: Session) -> dict[str, int]:
    """source -> active version id: the cheap query every process polls."""
    return dict(session.exec(select(RelationSource.source, RelationSource.active_version_id)).all())


def versions_of(session: Session, source: str) -> list[RelationVersion]:
    stmt = select(RelationVersion).where(RelationVersion.source == source).order_by(col(RelationVersion.id).desc())
    return list(session.exec(stmt))


def add_version(session: Session, version: RelationVersion, orgs: Sequence[Org],
                relations: Sequence[Relation]) -> RelationVersion:
    session.add(version)
    session.flush()
    assert version.id is not None
    org_rows = [{"version_id": version.id, "key": o.key, "name": o.name, "aliases": list(o.aliases),
                 "country": o.country, "lei": o.lei, "entity_type": o.entity_type} for o in orgs]
    rel_rows = [{"version_id": version.id, "subject": r.subject, "object": r.object, "kind": r.kind,
                 "source": r.source, "citation": r.citation, "share": r.share, "start_date": r.start,
                 "end_date": r.end} for r in relations]
    for table, rows in ((RelationOrgRow, org_rows), (RelationRow, rel_rows)):
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), rows[start:start + BATCH])
    return version


def activate(session: Session, source: str, version_id: int) -> None:
    pointer = session.get(RelationSource, source, with_for_update=True)
    if pointer is None:
        session.add(RelationSource(source=source, active_version_id=version_id))
    else:
        pointer.active_version_id = version_id
        pointer.activated_at = utcnow()
        session.add(pointer)
    session.flush()


def orgs_of(session: Session, version_id: int) -> list[Org]:
    table = RelationOrgRow.__table__  # type: ignore[attr-defined]
    stmt = sa_select(table.c.key, table.c.name, table.c.aliases, table.c.country, table.c.lei,
                     table.c.entity_type).where(table.c.version_id == version_id).order_by(table.c.id)
    return [Org(key, name, tuple(aliases), country, lei, kind) for key, name, aliases, country, lei, kind
            in session.connection().execute(stmt)]


def relations_of(session: Session, version_id: int) -> list[Relation]:
    table = RelationRow.__table__  # type: ignore[attr-defined]
    stmt = sa_select(table.c.subject, table.c.object, table.c.kind, table.c.source, table.c.citation,
                     table.c.share, table.c.start_date, table.c.end_date).where(
        table.c.version_id == version_id).order_by(table.c.id)
    return [Relation(*row) for row in session.connection().execute(stmt)]
