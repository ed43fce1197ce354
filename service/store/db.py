"""Engine and session handling for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
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
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    The only place the service commits. Entry points own their transaction and open it here: the HTTP
    request (`api.deps.get_session`), each CLI command, each worker task and loop, start-up. Services and
    repositories take the session and never commit; work that must follow the commit goes through
    `on_commit`."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads: nothing is committed; closing it ends its transaction."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def autocommit_session(engine: Engine) -> Iterator[Session]:
    """A session whose every statement commits by itself (PostgreSQL AUTOCOMMIT): for a unit of work that is
    one atomic statement, without the BEGIN and COMMIT round trips around it."""
    with engine.connect() as conn:
        with Session(bind=conn.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False) as session:
            yield session


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed, never if it rolls back: the one hook for
    work that must follow the commit (run a job in this process, forget cached keys).

    SQLAlchemy also reports the release of a SAVEPOINT (`begin_nested`) as a commit; only the outermost
    transaction's commit counts here."""
    fired = False

    def after_commit(committed: Session) -> None:
        nonlocal fired
        if not fired and committed.get_nested_transaction() is None:
            fired = True
            callback()

    event.listen(session, "after_commit", after_commit)
