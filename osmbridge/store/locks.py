"""Named locks in the state store that survive a crash: rows with an owner (host, pid, token) and a heartbeat.

A lock whose holder stopped refreshing it for `ttl_s`, or whose process is gone from this host, is
stale and can be taken over; taking it is a compare-and-set on the old holder, so of two processes
racing for a stale lock exactly one wins. Works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from osmbridge.store.tables import LockRow

_ATTEMPTS = 20  # a lock changing hands this often while we look is a bug, not contention


@dataclass(frozen=True, slots=True)
class Owner:
    """Who holds a lock or runs a run: this host, this process, and a token unique to one run."""

    host: str
    pid: int
    token: str

    @classmethod
    def new(cls) -> Owner:
        return cls(host=socket.gethostname(), pid=os.getpid(), token=uuid.uuid4().hex)


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The live holder of a lock someone else asked for."""

    name: str
    host: str
    pid: int
    run_id: int | None
    acquired_at: str

    def describe(self) -> str:
        run = f"run {self.run_id}, " if self.run_id is not None else ""
        return f"{run}process {self.pid} on {self.host}, since {self.acquired_at}"


def process_alive(host: str | None, pid: int | None) -> bool | None:
    """Whether a process of this host is still running (a zombie is not); None for another host."""
    if host != socket.gethostname() or pid is None:
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def owner_alive(host: str | None, pid: int | None, heartbeat_at: float | None, ttl_s: float,
                now_s: float | None = None) -> bool:
    """Whether a holder still counts: a recent heartbeat, and on this host a running process."""
    now_s = time.time() if now_s is None else now_s
    if heartbeat_at is None or now_s - heartbeat_at > ttl_s:
        return False
    return process_alive(host, pid) is not False


def acquire(engine: Engine, name: str, owner: Owner, ttl_s: float, run_id: int | None = None) -> LockHolder | None:
    """Take the lock `name` for `owner`; return None when taken, else its live holder."""
    for _ in range(_ATTEMPTS):
        now_s = time.time()
        row = dict(name=name, owner=owner.token, host=owner.host, pid=owner.pid, run_id=run_id,
                   acquired_at=datetime.now(UTC).isoformat(timespec="seconds"), heartbeat_at=now_s)
        try:
            with engine.begin() as connection:
                connection.execute(insert(LockRow).values(**row))
            return None
        except IntegrityError:
            pass
        with engine.begin() as connection:
            held = connection.execute(select(LockRow).where(LockRow.name == name)).mappings().first()
            if held is None:  # released meanwhile: try again from the start
                continue
            if held["owner"] == owner.token:
                return None
            if owner_alive(held["host"], held["pid"], held["heartbeat_at"], ttl_s, now_s):
                return LockHolder(name=name, host=held["host"], pid=held["pid"], run_id=held["run_id"],
                                  acquired_at=held["acquired_at"])
            # Stale: take it over only from the holder we saw (another process may be doing the same).
            taken = connection.execute(update(LockRow).where(
                LockRow.name == name, LockRow.owner == held["owner"],
                LockRow.heartbeat_at == held["heartbeat_at"]).values(**row))
            if taken.rowcount == 1:
                return None
    raise RuntimeError(f"lock {name!r} changed hands {_ATTEMPTS} times while being taken")


def refresh(engine: Engine, owner: Owner) -> int:
    """Renew the heartbeat of every lock `owner` holds; return how many it still holds."""
    with engine.begin() as connection:
        return connection.execute(update(LockRow).where(LockRow.owner == owner.token)
                                  .values(heartbeat_at=time.time())).rowcount


def release(engine: Engine, name: str, owner: Owner) -> None:
    """Give the lock back (nothing happens when `owner` no longer holds it)."""
    with engine.begin() as connection:
        connection.execute(delete(LockRow).where(LockRow.name == name, LockRow.owner == owner.token))


def holder(engine: Engine, name: str, ttl_s: float) -> LockHolder | None:
    """The live holder of `name`, if any."""
    with engine.connect() as connection:
        held = connection.execute(select(LockRow).where(LockRow.name == name)).mappings().first()
    if held is None or not owner_alive(held["host"], held["pid"], held["heartbeat_at"], ttl_s):
        return None
    return LockHolder(name=name, host=held["host"], pid=held["pid"], run_id=held["run_id"],
                      acquired_at=held["acquired_at"])
