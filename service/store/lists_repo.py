"""Queries on list versions and entries. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from service.screening.model import ListEntry
from service.store.tables import ListEntryRow, ListSource, ListVersion, utcnow


def active_versions(session: Session) -> list[ListVersion]:
    stmt = select(ListVersion).join(ListSource, ListSource.active_version_id == ListVersion.id)
    return list(session.exec(stmt.order_by(ListVersion.source)))


def active_version(session: Session, source: str) -> ListVersion | None:
    stmt = select(ListVersion).join(ListSource, ListSource.active_version_id == ListVersion.id)
    return session.exec(stmt.where(ListVersion.source == source)).first()


def active_pointers(session: Session) -> dict[str, int]:
    """source -> active version id: the cheap query every process polls."""
    return {s: v for s, v in session.exec(select(ListSource.source, ListSource.active_version_id))}


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
    stmt = select(ListEntryRow).where(ListEntryRow.version_id == version_id).order_by(col(ListEntryRow.id))
    return [row_to_entry(source, r) for source, r in _with_source(session, stmt)]


def _with_source(session: Session, stmt: object) -> Iterable[tuple[str, ListEntryRow]]:
    rows = list(session.exec(stmt))  # type: ignore[call-overload]
    if not rows:
        return []
    version = session.get(ListVersion, rows[0].version_id)
    assert version is not None
    return ((version.source, r) for r in rows)


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
