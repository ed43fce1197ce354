"""Engine and session handling for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use psycopg 3, the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    # 20 kept connections: requests above that open and close an overflow connection each (a PostgreSQL
    # backend started per request) exactly when the server is busiest; 30 at most per process, as before.
    engine = create_engine(url, pool_size=20, max_overflow=10)
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling, as `pool_pre_ping`, but only for a connection that sat idle in the
    pool: one that was returned moments ago is alive, and pinging it costs a round trip on every request.
    A failed ping makes the pool drop that connection and hand out a fresh one (a restarted PostgreSQL
    costs no request an error)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("connection lost while idle in the pool") from exc


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        _private_file(Path(database).expanduser())
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets readers keep screening against the old list version while a load writes the new one.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def _private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would follow the umask, often world-readable);
    SQLite gives its -wal and -shm files the mode of the database file. Existing files are made 0600 too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, stat.S_IRUSR | stat.S_IWUSR))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists() and stat.S_IMODE(part.stat().st_mode) & 0o077:
            part.chmod(stat.S_IRUSR | stat.S_IWUSR)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
