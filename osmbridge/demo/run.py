"""`osmbridge demo`: generate the fictional town, then run the real pipeline on it twice.

The first run reads the town's previous releases (city and OSM) and becomes the last sync; the second
reads the current ones, so the report shows which side changed what since then.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from osmbridge.config import Config, load_config
from osmbridge.demo import DemoFiles, generate_town
from osmbridge.errors import OsmbridgeError
from osmbridge.pipeline import Progress, RunSummary, run

_MARKER = ".osmbridge-demo"


def run_demo(out: Path, *, seed: int = 2024, progress: Progress | None = None) -> RunSummary:
    """Generate the demo town in `out` and run the pipeline on it; return the second run's summary."""
    out = Path(out)
    _start_afresh(out)
    files = generate_town(out / "data", seed=seed)
    current = load_config(files.config, os.environ)
    run(previous_release(current, files), trigger="demo", progress=Progress())
    return run(current, trigger="demo", progress=progress)


def previous_release(config: Config, files: DemoFiles) -> Config:
    """The same configuration reading the town's previous city and OSM releases."""
    datasets = {
        name: dataclasses.replace(
            dataset,
            source=dataclasses.replace(dataset.source, location=str(files.city_previous)),
            osm=dataclasses.replace(dataset.osm, backend="extract", extract=files.osm_previous))
        for name, dataset in config.datasets.items()}
    return dataclasses.replace(config, datasets=datasets)


def _start_afresh(out: Path) -> None:
    """Forget an earlier demo's state in `out` (only a folder this command made: it holds the marker)."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / _MARKER
    if not marker.exists():
        if any(out.iterdir()):
            raise OsmbridgeError(f"{out} is not empty and was not made by `osmbridge demo`; "
                                 "choose another folder with --out")
        marker.write_text("made by osmbridge demo\n", encoding="utf-8")
        return
    for state in out.rglob("*.sqlite"):
        state.unlink()
