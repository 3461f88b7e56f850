"""The one pipeline the CLI, the scheduler and the web UI call: read, match, diff, store, report."""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from osmbridge.config import Config, DatasetConfig, OsmConfig
from osmbridge.errors import OsmbridgeError, write_error
from osmbridge.mapping import apply_mapping, load_mapping, read_mapped_places
from osmbridge.match import MatchRules, city_fingerprint, match_places, osm_fingerprint
from osmbridge.model import (Area, CityFeature, DatasetResult, Difference, DroppedOsmObject, Match, OsmPlace,
                             RunCounts, SkippedRecord, SyncBaseUpdate, TagFilter)
from osmbridge.osm import fetch_overpass
from osmbridge.osm.files import read_osm_places
from osmbridge.osm.provenance import osm_data_source
from osmbridge.osm.shrink import check_osm_side
from osmbridge.osm_notes.steps import RunNotes, follow_run_notes, read_run_notes
from osmbridge.progress import Progress
from osmbridge.redact import redact
from osmbridge.report import write_reports
from osmbridge.service.guard import DatasetBusy, RunGuard
from osmbridge.service.interrupt import Interrupted, StopRequest
from osmbridge.service.push_hook import push_accepted
from osmbridge.service.retention import prune_runs
from osmbridge.service.steps import StepClock
from osmbridge.sources.area import DatasetArea, features_inside
from osmbridge.sources.provenance import city_data_source
from osmbridge.store import Fingerprints, Owner, Store, StoreError
from osmbridge.diff import diff_dataset, next_sync_base

STAGES = ("city", "osm", "match", "diff", "report", "store")
log = logging.getLogger(__name__)


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
    pushed: int | None = None  # changes pushed after the run (None: push not asked, or not available)


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
        clock: Callable[[], str] = utc_now, stop: StopRequest | None = None, push: bool = False) -> RunSummary:
    """Process the configured datasets (all, or those named) as one run recorded in the store.

    A dataset that fails (bad record, unreachable server) is recorded as failed with its message and
    the others still run; the caller turns a failed summary into a non-zero exit. A dataset another
    live run is processing is skipped. Runs left "running" by a dead process are first marked
    interrupted. `stop` (set by a signal or the scheduler) ends the run at the next step, as
    interrupted; `push` pushes what reviewers accepted once a dataset is stored.
    """
    names = list(datasets) if datasets else sorted(config.datasets)
    chosen = [config.dataset(name) for name in names]
    stop = stop or StopRequest()
    steps = StepClock(progress or Progress(), stop, clock)
    store = Store(config.store_url)
    try:
        interrupted = store.mark_interrupted_runs(config.service.lock_ttl_s, clock())
        if interrupted:
            log.warning("runs %s had stopped without finishing: marked interrupted", interrupted)
        owner = Owner.new()
        run_id = store.start_run(trigger, clock(), owner)
        outcomes = []
        with RunGuard(store, run_id, owner, ttl_s=config.service.lock_ttl_s,
                      heartbeat_s=config.service.heartbeat_s, stop=stop) as guard:
            for dataset in chosen:
                outcomes.append(_run_dataset(dataset, config, store, run_id, guard, steps, skip_invalid, clock,
                                             push))
        summary = RunSummary(run_id=run_id, outcomes=tuple(outcomes))
        store.finish_run(run_id, "ok" if summary.ok else "failed", clock(),
                         "; ".join(f"{o.dataset}: {o.error}" for o in outcomes if not o.ok))
        return summary
    finally:
        store.close()


@contextmanager
def _store_failing_too(original: BaseException) -> Iterator[None]:
    """Record a failure; if the store cannot take it either (a full disk), the original failure surfaces."""
    try:
        yield
    except StoreError:
        raise original from None


def _run_dataset(dataset: DatasetConfig, config: Config, store: Store, run_id: int, guard: RunGuard,
                 steps: StepClock, skip_invalid: bool, clock: Callable[[], str], push: bool) -> DatasetOutcome:
    """One dataset of a run, under its lock; its outcome and steps recorded whatever happens."""
    dataset_run_id = store.start_dataset(run_id, dataset.name, clock())
    steps.dataset_started(dataset.name, len(STAGES) + push + dataset.osm_notes.read)
    try:
        guard.lock_dataset(dataset.name)
    except DatasetBusy as exc:
        store.fail_dataset(dataset_run_id, str(exc), "skipped", clock())
        return DatasetOutcome(dataset=dataset.name, ok=False, error=str(exc))
    stored = False
    try:
        outcome = _process(dataset, store, run_id, dataset_run_id, config.reports_dir, skip_invalid, steps, clock,
                           config.path)
        stored = True
        if push:
            steps.stage(dataset.name, "push")
            outcome = replace(outcome, pushed=push_accepted(config, dataset.name))
    except OsmbridgeError as exc:
        error = redact(str(exc))
        if not stored:  # a failed push leaves the stored run as it is
            with _store_failing_too(exc):
                store.fail_dataset(dataset_run_id, error, "failed", clock())
        store.save_steps(dataset_run_id, steps.failed(dataset.name, "failed", error), clock())
        return DatasetOutcome(dataset=dataset.name, ok=False, error=error)
    except BaseException as exc:
        # A bug or an interruption: leave no run marked "running", then let it surface.
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        error = redact(f"interrupted ({exc})" if isinstance(exc, Interrupted) else f"{exc.__class__.__name__}: {exc}")
        with _store_failing_too(exc):
            store.fail_dataset(dataset_run_id, error, status, clock())
            store.save_steps(dataset_run_id, steps.failed(dataset.name, status, error), clock())
            store.finish_run(run_id, status, clock(), f"{dataset.name}: {error}")
        raise
    finally:
        guard.unlock_dataset(dataset.name)
    steps.dataset_done(dataset.name)
    counts = outcome.counts
    assert counts is not None
    store.save_steps(dataset_run_id, steps.finished(dataset.name, {
        "city": counts.city_places, "osm": counts.osm_places, "match": counts.matched,
        "diff": counts.differences, "report": len(outcome.files), "push": outcome.pushed}), clock())
    prune_runs(store, config.reports_dir, dataset.name, config.service.keep_runs)
    return outcome


def _process(dataset: DatasetConfig, store: Store, run_id: int, dataset_run_id: int, reports_dir: Path,
             skip_invalid: bool, progress: Progress, clock: Callable[[], str], config_file: Path) -> DatasetOutcome:
    if dataset.producers:
        from osmbridge.pipeline_producers import compare_producers

        compared = compare_producers(dataset, store, run_id, skip_invalid, progress, clock, config_file)
    else:
        compared = _compare(dataset, store, run_id, skip_invalid, progress, clock, config_file)
    return publish(dataset, store, dataset_run_id, reports_dir, progress, compared, clock)


@dataclass(frozen=True, slots=True)
class Compared:
    """What one dataset's run found, ready to be reported and stored."""

    result: DatasetResult
    counts: RunCounts
    fingerprints: Fingerprints
    base_update: SyncBaseUpdate


def _compare(dataset: DatasetConfig, store: Store, run_id: int, skip_invalid: bool, progress: Progress,
             clock: Callable[[], str], config_file: Path) -> Compared:
    """Read, match and compare a dataset with one source."""
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
    osm, dropped = load_osm(dataset.osm, mapping.osm_filters(), dataset.area)
    log.info("%s: %d OSM places of the mapped types, %d not placed", dataset.name, len(osm), len(dropped))
    # Before anything is matched, written or stored: an empty or cut-short OSM side would propose
    # creating every city place, and become the base of the next run.
    check_osm_side(dataset.name, len(osm), store.history(dataset.name), source=osm_source(dataset.osm),
                   max_shrink_share=dataset.osm.max_shrink_share, allow_empty=dataset.osm.allow_empty)
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
    base = store.sync_base(dataset.name)
    differences = diff_dataset(dataset.name, features, osm, matches, base,
                               area=area_geometry(dataset.area), region=mapping.country,
                               report_osm_only=mapping.complete, dropped=dropped)
    notes = RunNotes()
    if dataset.osm_notes.read:
        progress.stage(dataset.name, "notes")
        notes = read_run_notes(dataset.osm_notes, store, dataset.name, features, osm, matches)
        differences = [*differences, *notes.differences]
    all_skipped = tuple(skipped) + tuple(unmapped)
    counts = count_result(run_id, started_at, features, osm, matches, differences, all_skipped)
    result = DatasetResult(dataset=dataset.name, licence=dataset.licence, run_id=run_id, started_at=started_at,
                           city=tuple(features), osm=tuple(osm), matches=tuple(matches),
                           differences=tuple(differences), skipped=all_skipped,
                           history=tuple(store.history(dataset.name)) + (counts,),
                           city_url_template=dataset.city_url_template, osm_dropped=tuple(dropped),
                           review_url_template=dataset.review_url_template,
                           osm_notes=notes.place_notes, osm_notes_problem=notes.problem,
                           city_source=city_data_source(dataset.source, started_at),
                           osm_source=osm_data_source(dataset.osm.backend, dataset.osm.extract
                                                      if dataset.osm.backend == "extract" else dataset.osm.overpass_url,
                                                      osm, started_at),
                           licence_waiver=dataset.licence_waiver, attribution=dataset.attribution)
    fingerprints = Fingerprints(city={f.source_id: city_fingerprint(f) for f in features},
                                osm={p.key: osm_fingerprint(p) for p in osm})
    return Compared(result, counts, fingerprints, next_sync_base(base, features, osm, matches, differences))


def publish(dataset: DatasetConfig, store: Store, dataset_run_id: int, reports_dir: Path, progress: Progress,
            compared: Compared, clock: Callable[[], str]) -> DatasetOutcome:
    """Write a dataset's reports into its run folder and record the run in the store, all or nothing."""
    result, counts = compared.result, compared.counts
    progress.stage(dataset.name, "report")
    out_dir = reports_dir / dataset.name / f"run-{result.run_id:05d}"
    with published_run(out_dir) as staging:
        files = {name: out_dir / path.relative_to(staging) for name, path in write_reports(result, staging).items()}
        progress.stage(dataset.name, "store")
        # Recorded last: a failure here takes the run folder back out and leaves `latest` as it was, and
        # `latest` moves only once the store has the run, so it never names a run the store lacks.
        store.record_dataset(dataset_run_id, result, counts, compared.fingerprints, str(out_dir),
                             compared.base_update)
    if dataset.osm_notes.read or dataset.osm_notes.publish:
        follow_run_notes(dataset.osm_notes, store, dataset.name, result.run_id, clock(), result.osm_notes)
    return DatasetOutcome(dataset=dataset.name, ok=True, counts=counts, report_dir=out_dir, files=files,
                          result=result)


def load_osm(osm: OsmConfig, filters: Sequence[TagFilter], area: Area
             ) -> tuple[list[OsmPlace], list[DroppedOsmObject]]:
    """OSM places matching the mapping's filters, from the configured extract or Overpass, and the
    matching objects the reader could not place (extracts only)."""
    if osm.backend == "extract":
        assert osm.extract is not None  # checked when the config was loaded
        read = read_osm_places(osm.extract, filters, bbox=area.bbox)
        return read.places, read.dropped
    return fetch_overpass(osm.overpass_url, filters, area, timeout_s=osm.timeout_s, retries=osm.retries,
                          backoff_s=osm.backoff_s, user_agent=osm.user_agent, pause_s=osm.pause_s,
                          max_wait_s=osm.max_wait_s, contact=osm.contact), []


def osm_source(osm: OsmConfig) -> str:
    """Where a dataset's OSM side is read, for messages."""
    return str(osm.extract) if osm.backend == "extract" else osm.overpass_url


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


@contextmanager
def published_run(out_dir: Path) -> Iterator[Path]:
    """Yield a staging folder for a run's reports; on success it becomes `out_dir` and `latest` points at it.

    If the body fails (an OS error such as a full disk or a read-only folder, or the store refusing the
    run), the staging folder is removed and `latest` is left as it was: no half-written run is ever seen.
    An OS error becomes a one-line WriteError naming the folder and the fix.
    """
    folder = out_dir.parent
    staging = folder / f".{out_dir.name}.partial-{os.getpid()}"
    replaced = folder / f".{out_dir.name}.replaced-{os.getpid()}"
    new_folder = not folder.exists()
    moved = False
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        yield staging
        # A folder of the same run number (a state store started afresh) is replaced whole.
        if out_dir.exists():
            os.replace(out_dir, replaced)
        os.replace(staging, out_dir)
        moved = True
        _point_latest(out_dir)
    except BaseException as error:
        with suppress(OSError):
            shutil.rmtree(staging, ignore_errors=True)
            (folder / f".latest-{os.getpid()}").unlink(missing_ok=True)
            if moved:
                shutil.rmtree(out_dir, ignore_errors=True)
            if replaced.exists():  # put back what this run displaced
                os.replace(replaced, out_dir)
            if new_folder:
                folder.rmdir()
        if isinstance(error, OSError):
            raise write_error(folder, error, "set [reports] directory in config.toml to another folder") from None
        raise
    shutil.rmtree(replaced, ignore_errors=True)


def _point_latest(out_dir: Path) -> None:
    """Make reports/<dataset>/latest point at this run's folder (replaced atomically)."""
    link = out_dir.parent / "latest"
    temporary = out_dir.parent / f".latest-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(out_dir.name, target_is_directory=True)
    os.replace(temporary, link)
