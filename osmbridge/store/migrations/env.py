"""Alembic environment: migrations run on the connection `osmbridge.store.schema` hands over."""

from __future__ import annotations

from alembic import context

from osmbridge.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("osmbridge runs its migrations itself: use `osmbridge store upgrade`, not the alembic command")

# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
