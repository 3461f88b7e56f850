"""`osmbridge demo`: generate the fictional town, then run the pipeline on it twice, as a real sync would.

The first run reads the files of the last sync (city-previous, osm-previous) and so records the
base of the three-way diff; the second reads the current files and reports what changed on which
side since. Both runs use fixed clocks so the demo's history reads like a real schedule.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from osmbridge.config import Config, load_config
from osmbridge.demo.generate import DemoFiles, generate_town
from osmbridge.errors import OsmbridgeError
from osmbridge.party import load_neighbourhoods, plan_party, write_party
from osmbridge.pipeline import Progress, RunSummary, run

PREVIOUS_RUN_AT = "2024-06-01T00:00:00+00:00"  # the "last sync" of the story
CURRENT_RUN_AT = "2024-11-04T07:00:00+00:00"
_STATE_FILE = "state.sqlite"  # config.toml's store


@dataclasses.dataclass(frozen=True, slots=True)
class DemoRun:
    """What the demo did: the current run's summary and, when it got that far, the party plan's page."""

    summary: RunSummary
    party_page: Path | None = None


def run_demo(out_dir: Path, *, seed: int = 2024, size: int = 300, progress: Progress | None = None) -> DemoRun:
    """Generate the demo in `out_dir` and run the pipeline on it: the last sync, then the current run."""
    out_dir = Path(out_dir)
    _check_folder(out_dir)
    files = generate_town(out_dir, seed=seed, size=size)
    # A fresh store each time: a base left by an earlier demo would hide the story's changes.
    for suffix in ("", "-journal", "-wal", "-shm"):
        (out_dir / f"{_STATE_FILE}{suffix}").unlink(missing_ok=True)
    # No environment: the demo must not pick up OSMBRIDGE_STORE_URL and write into a real store.
    config = load_config(files.config, {})
    first = run(previous_config(config, files), trigger="demo", progress=progress,
                clock=lambda: PREVIOUS_RUN_AT)
    if not first.ok:
        return DemoRun(first)
    current = run(config, trigger="demo", progress=progress, clock=lambda: CURRENT_RUN_AT)
    results = [outcome.result for outcome in current.outcomes if outcome.result]
    if not results:
        return DemoRun(current)
    party = write_party(plan_party(results, load_neighbourhoods(files.neighbourhoods)), config.reports_dir / "party")
    return DemoRun(current, party["party.html"])


def previous_config(config: Config, files: DemoFiles) -> Config:
    """The same configuration reading the files of the last sync instead of the current ones."""
    osm = dataclasses.replace(config.osm, extract=files.osm_previous)
    datasets = {}
    for name, dataset in config.datasets.items():
        if dataset.producers:  # each producer reads its own file of the last sync
            producers = tuple(dataclasses.replace(producer, source=dataclasses.replace(
                producer.source, location=str(files.producer_files(producer.name)[0])))
                for producer in dataset.producers)
            dataset = dataclasses.replace(dataset, producers=producers, source=producers[0].source)
        else:
            dataset = dataclasses.replace(dataset, source=dataclasses.replace(dataset.source,
                                                                              location=str(files.city_previous)))
        datasets[name] = dataclasses.replace(dataset, osm=dataclasses.replace(dataset.osm,
                                                                              extract=files.osm_previous))
    return dataclasses.replace(config, osm=osm, datasets=datasets)


def _check_folder(out_dir: Path) -> None:
    """Refuse to write into a folder that holds other things than an earlier demo."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OsmbridgeError(f"{out_dir} is a file; pass --out with a new or empty folder for the demo")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "truth.json").exists():
        raise OsmbridgeError(f"{out_dir} is not empty and holds no earlier demo; pass --out with a new or empty "
                             "folder (the demo writes its files and a state database there)")
