"""The scheduled job: one dataset through the same pipeline as `osmbridge run`, then its notification.

APScheduler stores jobs by reference ("osmbridge.schedule.jobs:run_scheduled_dataset") with plain
arguments (the config file and the dataset name); the running scheduler registers its Config here.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from osmbridge.config import Config, load_config
from osmbridge.errors import OsmbridgeError
from osmbridge.redact import redact
from osmbridge.service.interrupt import Interrupted, StopRequest

JOB_FUNCTION = "osmbridge.schedule.jobs:run_scheduled_dataset"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Active:
    config: Config
    stop: StopRequest


_active: dict[str, _Active] = {}
_lock = threading.Lock()


def register(config: Config, stop: StopRequest) -> str:
    """Make `config` the one jobs of its file run with; return the key the jobs carry."""
    key = str(Path(config.path).resolve())
    with _lock:
        _active[key] = _Active(config, stop)
    return key


def unregister(key: str) -> None:
    with _lock:
        _active.pop(key, None)


def run_scheduled_dataset(config_key: str, dataset: str) -> None:
    """Run one dataset as the scheduler's turn came, then notify; errors are logged, never raised."""
    from osmbridge.pipeline import run
    from osmbridge.service.notify import notify_run

    with _lock:
        active = _active.get(config_key)
    if active is None:  # a job store shared with a scheduler of another config file: read that file
        active = _Active(load_config(Path(config_key), os.environ), StopRequest())
    config = active.config
    if dataset not in config.datasets:
        log.warning("scheduled dataset %r is no longer in %s: skipped", dataset, config.path)
        return
    schedule = config.datasets[dataset].schedule
    try:
        summary = run(config, datasets=[dataset], trigger="schedule", stop=active.stop,
                      push=bool(schedule and schedule.push))
    except Interrupted as stopped:
        log.warning("%s: scheduled run interrupted (%s)", dataset, stopped.reason)
        return
    except OsmbridgeError as error:  # the store itself failed: nothing recorded, say it loudly
        log.error("%s: scheduled run failed: %s", dataset, redact(str(error)))
        return
    for outcome in summary.outcomes:
        if outcome.ok:
            log.info("%s: run %d ok -> %s", dataset, summary.run_id, outcome.report_dir)
        else:
            log.error("%s: run %d %s", dataset, summary.run_id, outcome.error)
    notify_run(config, summary)
