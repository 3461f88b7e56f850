"""The SQLAlchemy engine of a state store: SQLite settings, and database errors turned into StoreError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from osmbridge.errors import StoreError

# SQLite waits this long for another process's write (a run saving its snapshots) before "database is locked".
SQLITE_BUSY_TIMEOUT_S = 60
# psycopg and sqlite3 wording of a schema that does not match the code (PostgreSQL SQLSTATE 42P01, 42703).
_SCHEMA_MISMATCH = ("no such table", "no such column", "has no column named", "undefinedtable",
                    "undefinedcolumn", "does not exist")
_UPGRADE_HINT = ("run `osmbridge store upgrade --config config.toml` (`osmbridge store status` shows the "
                 "store's revision)")


def open_engine(url: str) -> Engine:
    """Return an engine on `url` whose database errors surface as StoreError with a fix hint."""
    parsed = make_url(url)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            # SQLite creates the file, not its folder.
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S}
    else:
        options["pool_pre_ping"] = True  # a long-running `serve` outlives server restarts
    engine = create_engine(url, **options)
    shown = redact_url(url)
    event.listen(engine, "handle_error", lambda context: _translate(context, shown))
    return engine


def redact_url(url: str) -> str:
    """A database URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL at all: show nothing of it, it may hold a secret
        return "<unparsable URL>"


def _translate(context: ExceptionContext, url: str) -> None:
    """Raise StoreError for errors of the database's environment or schema; leave bugs and conflicts alone."""
    error = context.original_exception
    kind = type(error).__name__
    first_line = (str(error).strip().splitlines() or [kind])[0]
    lowered = f"{kind} {first_line}".lower()
    # A full disk shows first when SQLite opens its journal: before "cannot reach", which blames a server.
    if "disk" in lowered and ("full" in lowered or "i/o" in lowered):
        raise StoreError(f"the state store {url} cannot be written: {first_line}. Free some disk space.") from error
    if context.connection is None or context.is_disconnect:
        raise StoreError(f"cannot reach the state store {url}: {first_line}. Check [store] url in config.toml (or "
                         "OSMBRIDGE_STORE_URL) and that the database server runs.") from error
    if "locked" in lowered or "lock timeout" in lowered:
        raise StoreError(f"the state store {url} stayed busy: {first_line}. Another osmbridge process holds it "
                         "for writing; try again when it is done.") from error
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        raise StoreError(f"the state store {url} cannot be written: {first_line}. Check the permissions of its "
                         "file (or of its database role).") from error
    if any(marker in lowered for marker in _SCHEMA_MISMATCH) and kind in ("OperationalError", "ProgrammingError",
                                                                          "UndefinedTable", "UndefinedColumn"):
        raise StoreError(f"the state store {url} does not have the tables this osmbridge expects ({first_line}): "
                         f"{_UPGRADE_HINT}.") from error
