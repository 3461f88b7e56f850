"""Retention: the snapshots and report folders of a dataset's old runs go; the counts stay in the history."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from osmbridge.store import Store

log = logging.getLogger(__name__)


def prune_runs(store: Store, reports_dir: Path, dataset: str, keep_runs: int) -> int:
    """Keep the snapshots and reports of the newest `keep_runs` successful runs (0: all); return folders removed.

    Report folders of runs that never finished (killed before the store had them) go as well.
    """
    folder = (reports_dir / dataset).resolve()
    latest = (folder / "latest").resolve()
    doomed = [Path(d) for d in store.prune_snapshots(dataset, keep_runs)]
    doomed += [folder / f"run-{run_id:05d}" for run_id in store.unfinished_runs(dataset)]
    removed = 0
    for path in doomed:
        path = path.resolve()
        # Only run folders of this dataset, never the one `latest` shows.
        if path.parent != folder or not path.name.startswith("run-") or path == latest or not path.is_dir():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    if removed:
        log.info("%s: removed %d old report folder(s)", dataset, removed)
    return removed
