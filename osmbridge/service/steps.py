"""Timing each step of a dataset's run, for the run history, and stopping between steps when asked."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from osmbridge.progress import Progress
from osmbridge.service.interrupt import StopRequest
from osmbridge.store.history import StepRecord


class StepClock(Progress):
    """Passes progress on to `inner`, timing each step; raises Interrupted at a step boundary after a stop."""

    def __init__(self, inner: Progress, stop: StopRequest | None, clock: Callable[[], str]) -> None:
        self.inner, self.stop, self.clock = inner, stop, clock
        self._done: dict[str, list[StepRecord]] = {}
        self._open: dict[str, tuple[str, str, float]] = {}  # dataset -> (step, started_at, monotonic start)

    def dataset_started(self, dataset: str, stages: int) -> None:
        self._done[dataset] = []
        self._open.pop(dataset, None)
        self.inner.dataset_started(dataset, stages)

    def stage(self, dataset: str, stage: str) -> None:
        self._close(dataset, "ok", "")
        if self.stop is not None:
            self.stop.check()
        self._open[dataset] = (stage, self.clock(), time.monotonic())
        self.inner.stage(dataset, stage)

    def dataset_done(self, dataset: str) -> None:
        self.inner.dataset_done(dataset)

    def finished(self, dataset: str, counts: Mapping[str, int | None]) -> list[StepRecord]:
        """The dataset's steps after it succeeded, each with what it produced."""
        self._close(dataset, "ok", "")
        return [StepRecord(step=s.step, started_at=s.started_at, duration_s=s.duration_s,
                           count=counts.get(s.step), status=s.status) for s in self._done.pop(dataset, [])]

    def failed(self, dataset: str, status: str, error: str) -> list[StepRecord]:
        """The dataset's steps after it failed or was interrupted: the last one carries the error."""
        self._close(dataset, status, error)
        return self._done.pop(dataset, [])

    def _close(self, dataset: str, status: str, error: str) -> None:
        opened = self._open.pop(dataset, None)
        if opened is not None:
            step, started_at, start = opened
            self._done.setdefault(dataset, []).append(StepRecord(
                step=step, started_at=started_at, duration_s=round(time.monotonic() - start, 3), count=None,
                status=status, error=error))
