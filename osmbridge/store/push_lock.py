"""One push per dataset at a time: two overlapping pushes (cron and a person) would upload the same items.

SQLite store: a lock file beside the database (flock); PostgreSQL: a session advisory lock. Both are
released by the kernel or the server when the process dies, even by SIGKILL, so a crashed push never
blocks the next one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from osmbridge.errors import OsmbridgeError


class PushBusy(OsmbridgeError):
    """Another push of the same dataset is running."""


@contextmanager
def push_lock(engine: Engine, dataset: str) -> Iterator[None]:
    """Hold the dataset's push lock, or raise PushBusy at once."""
    busy = PushBusy(f"another `osmbridge push` of {dataset!r} is running on this state store; wait for it "
                    "to finish (a push that crashed releases its lock by itself)")
    if engine.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"osmbridge-push:{dataset}".encode()).digest()[:8], "big", signed=True)
        with engine.connect() as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                raise busy
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # nothing shares a memory database; other servers: not supported for pushes yet
        return
    slug = hashlib.sha256(dataset.encode()).hexdigest()[:12]
    path = Path(f"{database}.push-{slug}.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
