"""Named locks in the store: one holder, stale holders taken over, one winner when several race."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

from sqlalchemy import update

from osmbridge.store import Owner, Store
from osmbridge.store.locks import owner_alive, process_alive
from osmbridge.store.tables import LockRow


def test_a_held_lock_names_its_holder_until_released(url: str) -> None:
    store = Store(url)
    first, second = Owner.new(), Owner.new()
    assert store.acquire_lock("dataset:libs", first, ttl_s=60, run_id=7) is None
    assert store.acquire_lock("dataset:libs", first, ttl_s=60) is None  # holding it already
    holder = store.acquire_lock("dataset:libs", second, ttl_s=60)
    assert holder is not None and (holder.run_id, holder.pid, holder.host) == (7, os.getpid(), socket.gethostname())
    assert "run 7, process" in holder.describe()
    store.release_lock("dataset:libs", second)  # not the holder: nothing happens
    assert store.acquire_lock("dataset:libs", second, ttl_s=60) is not None
    store.release_lock("dataset:libs", first)
    assert store.acquire_lock("dataset:libs", second, ttl_s=60) is None


def test_a_lock_without_heartbeat_expires_and_a_heartbeat_keeps_it(url: str) -> None:
    store = Store(url)
    sleeper, waiting = Owner.new(), Owner.new()
    assert store.acquire_lock("scheduler", sleeper, ttl_s=60) is None
    with store.engine.begin() as connection:  # its last heartbeat was two minutes ago
        connection.execute(update(LockRow).values(heartbeat_at=time.time() - 120))
    assert store.refresh_locks(sleeper) == 1  # a heartbeat in time keeps it
    assert store.acquire_lock("scheduler", waiting, ttl_s=60) is not None
    with store.engine.begin() as connection:
        connection.execute(update(LockRow).values(heartbeat_at=time.time() - 120))
    assert store.acquire_lock("scheduler", waiting, ttl_s=60) is None  # stale: taken over
    assert store.refresh_locks(sleeper) == 0  # the sleeper learns it lost it


def test_the_lock_of_a_dead_process_on_this_host_is_free_at_once(url: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    store = Store(url)
    dead = Owner(host=socket.gethostname(), pid=child.pid, token="dead-run")
    assert store.acquire_lock("dataset:libs", dead, ttl_s=3600) is None
    assert process_alive(dead.host, dead.pid) is False
    assert store.acquire_lock("dataset:libs", Owner.new(), ttl_s=3600) is None


def test_racers_for_a_stale_lock_get_one_winner(url: str) -> None:
    store = Store(url)
    assert store.acquire_lock("dataset:libs", Owner(host="elsewhere", pid=1, token="gone"), ttl_s=60) is None
    with store.engine.begin() as connection:
        connection.execute(update(LockRow).values(heartbeat_at=time.time() - 600))
    winners: list[Owner] = []
    barrier = threading.Barrier(6)

    def race() -> None:
        owner = Owner.new()
        barrier.wait()
        if store.acquire_lock("dataset:libs", owner, ttl_s=60) is None:
            winners.append(owner)

    threads = [threading.Thread(target=race) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_another_host_counts_on_its_heartbeat_alone() -> None:
    assert owner_alive("another-host", 1, time.time(), ttl_s=60)
    assert not owner_alive("another-host", 1, time.time() - 61, ttl_s=60)
    assert not owner_alive(socket.gethostname(), os.getpid(), None, ttl_s=60)
