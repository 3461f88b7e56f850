"""A run's guard: who runs it, a heartbeat while it runs, and one lock per dataset it processes."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from osmbridge.errors import OsmbridgeError
from osmbridge.service.interrupt import StopRequest
from osmbridge.store import LockHolder, Owner, Store

log = logging.getLogger(__name__)


class DatasetBusy(OsmbridgeError):
    """Another live run holds the dataset."""

    def __init__(self, dataset: str, holder: LockHolder) -> None:
        super().__init__(f"skipped: dataset {dataset!r} is being processed by {holder.describe()}. One run per "
                         "dataset at a time; it runs again at its next turn.")


class RunGuard:
    """Heartbeats a run (and the dataset locks it holds) from a thread, until closed.

    When the heartbeat finds a lock gone (this process stalled longer than the lock's time to live
    and another took it over), it asks the run to stop at the next step.
    """

    def __init__(self, store: Store, run_id: int, owner: Owner, *, ttl_s: float, heartbeat_s: float,
                 stop: StopRequest) -> None:
        self.store, self.run_id, self.owner = store, run_id, owner
        self.ttl_s, self.heartbeat_s, self.stop = ttl_s, heartbeat_s, stop
        self._held: set[str] = set()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._beat, name=f"osmbridge-heartbeat-{run_id}", daemon=True)

    def __enter__(self) -> RunGuard:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._closing.set()
        self._thread.join()
        for name in list(self._held):
            self.store.release_lock(name, self.owner)

    def lock_dataset(self, dataset: str) -> None:
        """Take the dataset's lock for this run, or raise DatasetBusy naming who holds it."""
        name = f"dataset:{dataset}"
        holder = self.store.acquire_lock(name, self.owner, self.ttl_s, self.run_id)
        if holder is not None:
            raise DatasetBusy(dataset, holder)
        with self._lock:
            self._held.add(name)

    def unlock_dataset(self, dataset: str) -> None:
        name = f"dataset:{dataset}"
        with self._lock:
            self._held.discard(name)
        self.store.release_lock(name, self.owner)

    def _beat(self) -> None:
        while not self._closing.wait(self.heartbeat_s):
            try:
                with self._lock:
                    expected = len(self._held)
                    held = self.store.heartbeat(self.run_id, self.owner)
                if held < expected:
                    self.stop.set("lost its dataset lock (this process stalled longer than [service] lock_ttl_s)")
            except OsmbridgeError as error:  # the store is briefly unreachable: try again next beat
                log.warning("run %d: heartbeat failed: %s", self.run_id, error)
