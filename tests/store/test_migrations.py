from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from service.store.migrate import current_revision, head_revision


class TestMigrations:
    def test_from_empty_to_head(self, engine: Engine) -> None:
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        expected = {"list_version", "list_source", "list_entry", "screening", "idempotency_key", "alembic_version"}
        assert expected <= tables

    def test_upgrade_twice_is_a_no_op(self, engine: Engine) -> None:
        from service.store.migrate import upgrade

        upgrade(engine)
        assert current_revision(engine) == head_revision()
