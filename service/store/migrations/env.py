"""Alembic environment: runs against the connection handed over by `service.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import service.store.monitor_tables  # noqa: F401  (registers the tables on the metadata)
import service.store.relations_tables  # noqa: F401
import service.store.tables  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
if connection.dialect.name == "postgresql":
    # Several API replicas may start at once: only one migrates, the others wait for it.
    connection.execute(text("SELECT pg_advisory_xact_lock(727274)"))
with context.begin_transaction():
    context.run_migrations()
