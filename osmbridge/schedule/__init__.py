"""The scheduler: runs each dataset on its cron (APScheduler 3), one leading process per store.

`start_scheduler(config)` starts it in background threads and returns a `Scheduler` to `.stop()`
(what `osmbridge serve` does alongside the web app); `osmbridge schedule` runs it alone in the
foreground until SIGTERM or Ctrl-C. See `osmbridge.schedule.service`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osmbridge.config import Config
    from osmbridge.schedule.service import Scheduler


def start_scheduler(config: Config) -> Scheduler:
    """Start the scheduler in background threads; call `.stop()` on it when the process shuts down."""
    from osmbridge.schedule.service import start_scheduler as start

    return start(config)


@contextmanager
def running_scheduler(config: Config) -> Iterator[Scheduler | None]:
    """Run the scheduler for the duration of the block when a dataset has a schedule (else yield None).

    For `osmbridge serve`: `with running_scheduler(config): uvicorn.run(app, ...)`; uvicorn returns
    on SIGTERM/SIGINT, then running datasets stop at their next step, recorded as interrupted.
    """
    if not any(dataset.schedule for dataset in config.datasets.values()):
        yield None
        return
    scheduler = start_scheduler(config)
    try:
        yield scheduler
    finally:
        scheduler.stop()


__all__ = ["running_scheduler", "start_scheduler"]
