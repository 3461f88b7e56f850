"""The one pipeline the CLI, the scheduler and the web UI call: read, match, diff, store, report."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from osmbridge.config import Config, DatasetConfig, OsmConfig
from osmbridge.errors import OsmbridgeError
from osmbridge.mapping import apply_mapping, load_mapping, read_mapped_places
from osmbridge.match import MatchRules, city_fingerprint, match_places, osm_fingerprint
from osmbridge.model import (Area, CityFeature, DatasetResult, Difference, Match, OsmPlace, RunCounts,
                             SkippedRecord, TagFilter)
from osmbridge.osm import fetch_overpass, read_osm_file
from osmbridge.report import write_reports
from osmbridge.sources.area import DatasetArea, features_inside
from osmbridge.store import Fingerprints, Store
from osmbridge.diff import diff_dataset

STAGES = ("city", "osm", "match", "diff", "report")
log = logging.getLogger(__name__)


class Progress:
    """Receives progress from the pipeline; the CLI shows it with rich, tests and cron ignore it."""

    def dataset_started(self, dataset: str, stages: int) -> None: ...
    def stage(self, dataset: str, stage: str) -> None: ...
    def dataset_done(self, dataset: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DatasetOutcome:
    """What happened to one dataset in a run."""

    dataset: str
    ok: bool
    counts: RunCounts | None = None
    report_dir: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    error: str = ""
    result: DatasetResult | None = None  # what the reports were written from (for the party planner)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What `run` did: the run id and each dataset's outcome."""

    run_id: int
    outcomes: tuple[DatasetOutcome, ...]

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run(config: Config, *, datasets: Sequence[str] | None = None, skip_invalid: bool = False,
        trigger: str = "cli", progress: Progress | None = None,
        clock: Callable[[], str] = utc_now) -> RunSummary:
    """Process the configured datasets (all, or those named) as one run recorded in the store.

    A dataset that fails (bad record, unreachable server) is recorded as failed with its message and
    the others still run; the caller turns a failed summary into a non-zero exit.
    """
    names = list(datasets) if datasets else sorted(config.datasets)
    chosen = [config.dataset(name) for name in names]
    progress = progress or Progress()
    store = Store(config.store_url)
    try:
        run_id = store.start_run(trigger, clock())
        outcomes = []
        for dataset in chosen:
            dataset_run_id = store.start_dataset(run_id, dataset.name, clock())
            progress.dataset_started(dataset.name, len(STAGES))
            try:
                outcome = _process(dataset, store, run_id, dataset_run_id, config.reports_dir,
                                   skip_invalid, progress, clock, config.path)
            except OsmbridgeError as exc:
                store.fail_dataset(dataset_run_id, str(exc))
                outcome = DatasetOutcome(dataset=dataset.name, ok=False, error=str(exc))
            except BaseException as exc:
                # A bug or an interruption: leave no run marked "running", then let it surface.
                store.fail_dataset(dataset_run_id, f"{exc.__class__.__name__}: {exc}")
                store.finish_run(run_id, "failed", clock(), f"{dataset.name}: {exc.__class__.__name__}")
                raise
            progress.dataset_done(dataset.name)
            outcomes.append(outcome)
        summary = RunSummary(run_id=run_id, outcomes=tuple(outcomes))
        store.finish_run(run_id, "ok" if summary.ok else "failed", clock(),
                         "; ".join(f"{o.dataset}: {o.error}" for o in outcomes if not o.ok))
        return summary
    finally:
        store.close()


def _process(dataset: DatasetConfig, store: Store, run_id: int, dataset_run_id: int, reports_dir: Path,
             skip_invalid: bool, progress: Progress, clock: Callable[[], str], config_file: Path) -> DatasetOutcome:
    started_at = clock()
    progress.stage(dataset.name, "city")
    mapping = load_mapping(dataset.mapping)
    area = DatasetArea.from_config(dataset.area.bbox, dataset.name, config_file) if dataset.area.bbox else None
    city = read_mapped_places(dataset.source, mapping, dataset=dataset.name, licence=dataset.licence,
                              skip_invalid=skip_invalid, bbox=dataset.area.bbox)
    city.require_usable(mapping)
    places = city.places
    features, unmapped = apply_mapping(mapping, places, skip_invalid=skip_invalid)
    # Stop before OSM is fetched when the records lie elsewhere (swapped coordinates, wrong crs or bbox).
    features, outside = features_inside(features, area, crs=dataset.source.crs)
    if places and not features:
        # Recording this as a sync would make every OSM place look "missing in the city" next time.
        first = f" (first: {unmapped[0].origin}: {unmapped[0].problem})" if unmapped else ""
        raise OsmbridgeError(f"{dataset.name}: the mapping {dataset.mapping} covers none of the {len(places)} "
                             f"records{first}; check it with `osmbridge mappings check {dataset.mapping} "
                             f"--data FILE`")
    progress.stage(dataset.name, "osm")
    osm = load_osm(dataset.osm, mapping.osm_filters(), dataset.area)
    log.info("%s: %d OSM places of the mapped types", dataset.name, len(osm))
    if area is None:
        # Without a bbox, the OSM data read for the dataset says roughly where its records belong.
        features, outside = features_inside(features, DatasetArea.from_osm_extent((p.center for p in osm),
                                                                                  dataset.name),
                                            crs=dataset.source.crs)
    skipped = city.skipped + outside
    log.info("%s: %d city records read, %d mapped, %d skipped", dataset.name, len(places), len(features),
             len(skipped) + len(unmapped))
    progress.stage(dataset.name, "match")
    matches = match_places(features, osm, MatchRules(), store.decisions(dataset.name))
    progress.stage(dataset.name, "diff")
    differences = diff_dataset(dataset.name, features, osm, matches, store.sync_base(dataset.name),
                               area=area_geometry(dataset.area), region=mapping.country,
                               report_osm_only=mapping.complete)
    all_skipped = tuple(skipped) + tuple(unmapped)
    counts = count_result(run_id, started_at, features, osm, matches, differences, all_skipped)
    result = DatasetResult(dataset=dataset.name, licence=dataset.licence, run_id=run_id, started_at=started_at,
                           city=tuple(features), osm=tuple(osm), matches=tuple(matches),
                           differences=tuple(differences), skipped=all_skipped,
                           history=tuple(store.history(dataset.name)) + (counts,),
                           city_url_template=dataset.city_url_template)
    progress.stage(dataset.name, "report")
    out_dir = reports_dir / dataset.name / f"run-{run_id:05d}"
    files = write_reports(result, out_dir)
    _point_latest(out_dir)
    fingerprints = Fingerprints(city={f.source_id: city_fingerprint(f) for f in features},
                                osm={p.key: osm_fingerprint(p) for p in osm})
    store.record_dataset(dataset_run_id, result, counts, fingerprints, str(out_dir))
    return DatasetOutcome(dataset=dataset.name, ok=True, counts=counts, report_dir=out_dir, files=files,
                          result=result)


def load_osm(osm: OsmConfig, filters: Sequence[TagFilter], area: Area) -> list[OsmPlace]:
    """OSM places matching the mapping's filters, from the configured extract or Overpass."""
    if osm.backend == "extract":
        assert osm.extract is not None  # checked when the config was loaded
        return read_osm_file(osm.extract, filters, bbox=area.bbox)
    return fetch_overpass(osm.overpass_url, filters, area, timeout_s=osm.timeout_s, retries=osm.retries,
                          backoff_s=osm.backoff_s, user_agent=osm.user_agent)


def area_geometry(area: Area) -> BaseGeometry | None:
    """The dataset's area as a WGS84 polygon when the config gives a bbox (OSM-only places outside it are ignored)."""
    if area.bbox is None:
        return None
    south, west, north, east = area.bbox
    return box(west, south, east, north)


def count_result(run_id: int, started_at: str, city: Sequence[CityFeature], osm: Sequence[OsmPlace],
                 matches: Sequence[Match], differences: Sequence[Difference],
                 skipped: Sequence[SkippedRecord]) -> RunCounts:
    """Headline counts of one dataset's run."""
    status = Counter(m.status for m in matches)
    kinds = Counter(d.kind for d in differences)
    return RunCounts(run_id=run_id, started_at=started_at, city_places=len(city), osm_places=len(osm),
                     matched=status["matched"], ambiguous=status["ambiguous"],
                     missing_in_osm=kinds["missing_in_osm"], missing_in_city=kinds["missing_in_city"],
                     differences=len(differences), skipped=len(skipped))


def _point_latest(out_dir: Path) -> None:
    """Make reports/<dataset>/latest point at this run's folder (replaced atomically)."""
    link = out_dir.parent / "latest"
    temporary = out_dir.parent / f".latest-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(out_dir.name, target_is_directory=True)
    os.replace(temporary, link)
