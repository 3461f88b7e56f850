"""The state store's schema: brought to this osmbridge's revision (Alembic) whenever a store opens.

- An empty database gets every table at once and is stamped with the newest revision (the head).
- A store made before migrations existed (osmbridge tables, no `alembic_version`) is checked against
  the baseline revision, stamped with it, then upgraded.
- An older store is upgraded; a SQLite file is first copied to `<file>.before-<head>`.
- A store at a revision this osmbridge does not know was upgraded by a newer osmbridge: StoreError.

`osmbridge store upgrade` does the same on demand, `osmbridge store status` shows where a store stands.
Processes opening one store at once take turns: a PostgreSQL advisory lock, or a lock file next to a
SQLite file. A new table or column means a new file in `migrations/versions/` chained after the head.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Alembic's INFO lines (plugins on import, each revision) are for its own CLI; osmbridge logs its own.
logging.getLogger("alembic").setLevel(logging.WARNING)

from alembic import command  # noqa: E402
from alembic.config import Config as AlembicConfig  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import Connection, create_engine, inspect, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from osmbridge.errors import StoreError  # noqa: E402
from osmbridge.store.tables import Base  # noqa: E402

BASELINE = "0001_baseline"
MIGRATIONS = Path(__file__).parent / "migrations"
# Tables that are not osmbridge's state: Alembic's own, and APScheduler's job store.
FOREIGN_TABLES = frozenset({"alembic_version", "apscheduler_jobs"})
_ADVISORY_LOCK_KEY = 0x6F736D62  # "osmb": serialises schema changes of one PostgreSQL database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a store stands: its revision (None: none recorded), the head, and revisions still to apply."""

    current: str | None
    head: str
    pending: tuple[str, ...]
    empty: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def head_revision() -> str:
    """The newest revision this osmbridge knows."""
    heads = _scripts().get_heads()
    if len(heads) != 1:  # two revisions written on parallel branches: a bug to fix in the code
        raise RuntimeError(f"store migrations have {len(heads)} heads {heads}: chain the newest after the other")
    return heads[0]


def schema_status(engine: Engine) -> SchemaStatus:
    """Say which revision the store is at and what an upgrade would apply."""
    with engine.connect() as connection:
        return _status(connection)


def ensure_schema(engine: Engine) -> str:
    """Bring the store to the head revision; return what was done ("", "created", "upgraded from X")."""
    first_look = schema_status(engine)
    if first_look.up_to_date:  # the common case, without taking the lock
        return ""
    with _exclusive(engine):
        if not first_look.empty:
            _backup_sqlite(engine, first_look.head)
        _write_ahead_log(engine)
        return _bring_to_head(engine)


def _bring_to_head(engine: Engine) -> str:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        status = _status(connection)  # again: another process may have done it while we waited
        if status.up_to_date:
            return ""
        config = _alembic_config(connection)
        if status.empty:
            Base.metadata.create_all(connection)
            command.stamp(config, "head", purge=True)
            log.info("state store: created at revision %s", status.head)
            return "created"
        if status.current is None:
            _check_baseline(connection)
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
        done = f"upgraded from {status.current or 'before migrations'} to {status.head}"
        log.info("state store: %s", done)
        return done


def _status(connection: Connection) -> SchemaStatus:
    head = head_revision()
    tables = set(inspect(connection).get_table_names()) - FOREIGN_TABLES
    # A database without any osmbridge table is empty, even if a revision was recorded in it once.
    empty = not tables & set(Base.metadata.tables)
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and not _known(current):
        raise StoreError(f"the state store is at schema revision {current!r}, which this osmbridge does not know "
                         f"(its newest is {head!r}): a newer osmbridge upgraded it. Install that version "
                         "(or newer) to use this store.")
    if empty:
        return SchemaStatus(current=current, head=head, pending=(head,), empty=True)
    pending = _pending(current or BASELINE, head) + ((BASELINE,) if current is None else ())
    return SchemaStatus(current=current, head=head, pending=tuple(reversed(pending)), empty=False)


def _pending(current: str, head: str) -> tuple[str, ...]:
    """Revisions after `current` up to `head`, newest first."""
    return tuple(script.revision for script in _scripts().iterate_revisions(head, current))


def _known(revision: str) -> bool:
    return revision in _revisions()


@functools.cache
def _revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def _check_baseline(connection: Connection) -> None:
    """Refuse a store from before migrations that lacks a table or column of the baseline revision."""
    expected = _baseline_columns()
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    missing = [f"table {table}" for table in expected if table not in existing]
    for table in expected.keys() & existing:
        have = {column["name"] for column in inspector.get_columns(table)}
        missing += [f"{table}.{column}" for column in sorted(expected[table] - have)]
    if missing:
        raise StoreError(f"the state store was made by an osmbridge older than its first migration and lacks "
                         f"{', '.join(missing)}; it cannot be upgraded. Move it aside (or point [store] url at a "
                         "new database) and run again: the first run starts a new history.")


@functools.cache
def _baseline_columns() -> dict[str, frozenset[str]]:
    """Table -> column names of the baseline revision, read from a scratch in-memory database."""
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), BASELINE)
        inspector = inspect(connection)
        columns = {table: frozenset(c["name"] for c in inspector.get_columns(table))
                   for table in inspector.get_table_names() if table not in FOREIGN_TABLES}
    engine.dispose()
    return columns


def _alembic_config(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    """Hold a lock file next to a SQLite store while its schema changes (PostgreSQL locks in the transaction)."""
    path = _sqlite_file(engine)
    if path is None:
        yield
        return
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_ahead_log(engine: Engine) -> None:
    """Put a SQLite file in WAL mode (it stays so): the web app reads while a run writes."""
    if _sqlite_file(engine) is None:
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def _backup_sqlite(engine: Engine, head: str) -> None:
    """Copy a SQLite store before changing its schema (SQLite's own backup, consistent while in use)."""
    path = _sqlite_file(engine)
    if path is None or not path.exists():
        return
    target = path.with_name(f"{path.name}.before-{head}")
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    log.info("state store: copied %s to %s before upgrading it", path, target)
