"""Queries on list versions and entries. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, insert, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from service.screening.model import ListEntry
from service.store.tables import ListEntryRow, ListSource, ListVersion
from service.timestamps import utcnow


def ping(session: Session) -> None:
    """One round trip: the database answers."""
    session.execute(text("SELECT 1"))


def active_versions(session: Session) -> list[ListVersion]:
    stmt = select(ListVersion).join(ListSource, col(ListSource.active_version_id) == col(ListVersion.id))
    return list(session.exec(stmt.order_by(ListVersion.source)))


def active_version(session: Session, source: str) -> ListVersion | None:
    stmt = select(ListVersion).join(ListSource, col(ListSource.active_version_id) == col(ListVersion.id))
    return session.exec(stmt.where(ListVersion.source == source)).first()


def active_pointers(session: Session) -> dict[str, int]:
    """source -> active version id: the cheap query every process polls."""
    return dict(session.exec(select(ListSource.source, ListSource.active_version_id)).all())


def pointers(session: Session) -> dict[str, ListSource]:
    """source -> its pointer row, which also holds the source's sync status."""
    return {p.source: p for p in session.exec(select(ListSource))}


def versions_of(session: Session, source: str) -> list[ListVersion]:
    stmt = select(ListVersion).where(ListVersion.source == source).order_by(col(ListVersion.id).desc())
    return list(session.exec(stmt))


def add_version(session: Session, version: ListVersion, entries: Sequence[ListEntry]) -> ListVersion:
    session.add(version)
    session.flush()
    assert version.id is not None
    rows = [_entry_row(version.id, e) for e in entries]
    for start in range(0, len(rows), 5000):
        session.execute(insert(ListEntryRow), rows[start:start + 5000])
    return version


def activate(session: Session, source: str, version_id: int) -> None:
    pointer = session.get(ListSource, source, with_for_update=True)
    if pointer is None:
        session.add(ListSource(source=source, active_version_id=version_id))
    else:
        pointer.active_version_id = version_id
        pointer.activated_at = utcnow()
        session.add(pointer)
    session.flush()


def entries_of(session: Session, version_id: int) -> list[ListEntry]:
    """All entries of a version as domain objects; plain column rows, since this feeds index rebuilds."""
    version = session.get(ListVersion, version_id)
    if version is None:
        return []
    table = ListEntryRow.__table__  # type: ignore[attr-defined]
    columns = [c for c in table.c if c.name not in ("id", "version_id", "search_text")]
    stmt = sa_select(*columns).where(table.c.version_id == version_id).order_by(table.c.id)
    return [ListEntry(source=version.source, **_tuples(row._asdict())) for row in session.connection().execute(stmt)]


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("aliases", "chinese_names", "addresses"):
        data[key] = tuple(data[key])
    data["extra"] = dict(data["extra"])
    return data


def search_entries(session: Session, version_id: int, q: str | None, limit: int, offset: int
                   ) -> tuple[int, list[ListEntryRow]]:
    base = select(ListEntryRow).where(ListEntryRow.version_id == version_id)
    if q:
        base = base.where(col(ListEntryRow.search_text).contains(q.casefold()))
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    rows = session.exec(base.order_by(col(ListEntryRow.id)).limit(limit).offset(offset))
    return total, list(rows)


def get_entry(session: Session, version_id: int, entry_id: str) -> ListEntryRow | None:
    stmt = select(ListEntryRow).where(ListEntryRow.version_id == version_id, ListEntryRow.entry_id == entry_id)
    return session.exec(stmt).first()


def row_to_entry(source: str, row: ListEntryRow) -> ListEntry:
    return ListEntry(
        source=source, entry_id=row.entry_id, name=row.name, entity_type=row.entity_type,  # type: ignore[arg-type]
        aliases=tuple(row.aliases), chinese_names=tuple(row.chinese_names), addresses=tuple(row.addresses),
        city=row.city, country=row.country, date_listed=row.date_listed, legal_basis=row.legal_basis,
        citation=row.citation, remarks=row.remarks, program=row.program, xinjiang_linked=row.xinjiang_linked,
        match_by_name=row.match_by_name, extra=dict(row.extra),
    )


def _entry_row(version_id: int, entry: ListEntry) -> dict[str, object]:
    data = asdict(entry)
    data.pop("source")
    for key in ("aliases", "chinese_names", "addresses"):
        data[key] = list(data[key])
    data["version_id"] = version_id
    data["search_text"] = "\n".join(entry.all_names).casefold()
    return data
