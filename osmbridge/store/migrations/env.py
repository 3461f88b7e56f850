"""Alembic environment: migrations run on the connection `osmbridge.store.schema` hands over."""

from __future__ import annotations

from alembic import context

from osmbridge.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("osmbridge runs its migrations itself: use `osmbridge store upgrade`, not the alembic command")



def _ours(name: str | None, kind: str, _parent: object) -> bool:
    """Autogenerate looks at osmbridge's tables only, not APScheduler's job store beside them."""
    return not (kind == "table" and name == "apscheduler_jobs")


# render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True,
                  include_name=_ours)
with context.begin_transaction():
    context.run_migrations()
