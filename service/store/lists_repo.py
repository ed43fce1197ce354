"""Queries on list versions and entries. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from service.screening.model import ListEntry
from service.store.tables import ListChangeRow, ListEntryRow, ListFetchState, ListSource, ListVersion
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
        session.add(ListSource(source=source, active_version_id=version_id, last_changed_at=utcnow()))
    else:
        pointer.active_version_id = version_id
        pointer.activated_at = pointer.last_changed_at = utcnow()
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
        # `%` and `_` in the query are literal characters, not wildcards.
        base = base.where(col(ListEntryRow.search_text).contains(q.casefold(), autoescape=True))
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


# --- sync status, fetch validators, changes, removal ---------------------------------------------------------

def record_check(session: Session, source: str, *, at: datetime, max_age_days: int | None) -> None:
    """A successful check against the upstream, whether or not it changed the list."""
    pointer = session.get(ListSource, source, with_for_update=True)
    if pointer is not None:
        pointer.last_checked_at, pointer.max_age_days = at, max_age_days
        session.add(pointer)


def record_error(session: Session, source: str, *, at: datetime, message: str) -> bool:
    """A failed check; False when the source has no active version to attach it to."""
    pointer = session.get(ListSource, source, with_for_update=True)
    if pointer is None:
        return False
    pointer.last_error_at, pointer.last_error = at, message
    session.add(pointer)
    return True


def fetch_states(session: Session, source: str) -> dict[str, ListFetchState]:
    return {s.url_hash: s for s in session.exec(select(ListFetchState).where(ListFetchState.source == source))}


def save_fetch_state(session: Session, state: ListFetchState) -> None:
    session.merge(state)


def add_change(session: Session, row: ListChangeRow) -> None:
    session.add(row)


def changes(session: Session, source: str, *, since: datetime | None, limit: int, offset: int
            ) -> tuple[int, list[ListChangeRow]]:
    """A source's version changes, newest first."""
    base = select(ListChangeRow).where(ListChangeRow.source == source)
    if since is not None:
        base = base.where(col(ListChangeRow.at) >= since)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    rows = session.exec(base.order_by(col(ListChangeRow.version_id).desc()).limit(limit).offset(offset))
    return total, list(rows)


def changes_between(session: Session, source: str, after_id: int, upto_id: int) -> list[ListChangeRow]:
    """The change records of a source's versions after `after_id` up to `upto_id`, oldest first."""
    stmt = select(ListChangeRow).where(ListChangeRow.source == source, col(ListChangeRow.version_id) > after_id,
                                       col(ListChangeRow.version_id) <= upto_id)
    return list(session.exec(stmt.order_by(col(ListChangeRow.version_id))))


def delete_version(session: Session, version_id: int) -> None:
    """A version with its entries and its change record (never the active one: the caller checks)."""
    session.execute(delete(ListEntryRow).where(col(ListEntryRow.version_id) == version_id))
    session.execute(delete(ListChangeRow).where(col(ListChangeRow.version_id) == version_id))
    session.execute(delete(ListVersion).where(col(ListVersion.id) == version_id))


def delete_source(session: Session, source: str) -> int:
    """Every version of a source, its pointer and fetch state; the number of versions removed."""
    ids = [v.id for v in versions_of(session, source) if v.id is not None]
    session.execute(delete(ListSource).where(col(ListSource.source) == source))
    session.execute(delete(ListFetchState).where(col(ListFetchState.source) == source))
    for version_id in ids:
        delete_version(session, version_id)
    return len(ids)
