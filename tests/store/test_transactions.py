"""The transaction owner's tools: `transaction` commits or rolls back as a whole, and `on_commit` runs its
callback after the outermost commit only (never on a SAVEPOINT release, never after a rollback)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from service.store.db import on_commit, read_session, transaction
from service.store.tables import OrganizationRow


def _orgs(engine: Engine, org_id: str) -> set[str]:
    """`org_id` if it is stored (organisations outlive a test: the test tables are emptied, not this one)."""
    with read_session(engine) as session:
        return {o.id for o in session.exec(select(OrganizationRow).where(OrganizationRow.id == org_id))}


@pytest.fixture
def org_id() -> str:
    return f"org-{uuid.uuid4().hex[:12]}"


def _failing(engine: Engine, work: Callable[[Session], None]) -> None:
    with transaction(engine) as session:
        work(session)
        session.flush()
        raise RuntimeError("refused half-way")


class TestTransaction:
    def test_commits_on_success(self, engine: Engine, org_id: str) -> None:
        with transaction(engine) as session:
            session.add(OrganizationRow(id=org_id, name="Acme"))

        assert _orgs(engine, org_id) == {org_id}

    def test_rolls_back_everything_on_error(self, engine: Engine, org_id: str) -> None:
        with pytest.raises(RuntimeError):
            _failing(engine, lambda session: session.add(OrganizationRow(id=org_id, name="Acme")))

        assert _orgs(engine, org_id) == set()


class TestOnCommit:
    def test_runs_after_the_outer_commit_not_on_a_savepoint_release(self, engine: Engine, org_id: str) -> None:
        calls: list[set[str]] = []
        with transaction(engine) as session:
            on_commit(session, lambda: calls.append(_orgs(engine, org_id)))
            with session.begin_nested():
                session.add(OrganizationRow(id=org_id, name="Acme"))
            assert calls == []

        assert calls == [{org_id}]  # once, and the row was visible to another session by then

    def test_never_runs_after_a_rollback(self, engine: Engine, org_id: str) -> None:
        calls: list[str] = []

        def work(session: Session) -> None:
            on_commit(session, lambda: calls.append("ran"))
            session.add(OrganizationRow(id=org_id, name="Acme"))

        with pytest.raises(RuntimeError):
            _failing(engine, work)

        assert calls == []
        assert _orgs(engine, org_id) == set()
