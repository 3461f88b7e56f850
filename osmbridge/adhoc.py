"""One-shot work on files, without config or state: `osmbridge match` and `osmbridge mappings check`.

Imports of the heavier stages happen inside the functions: a one-shot match of a few hundred
records should not pay for the HTML report, the Overpass client or the portal downloader.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import shapely

from osmbridge.errors import SourceError
from osmbridge.model import SkippedRecord, SourceSpec

if TYPE_CHECKING:
    from osmbridge.mapping import MappedSource, MappingCheck, TagMapping
    from osmbridge.sources.records import RawRecord

_KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "json"}


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of a one-shot match: what it did and how long it took."""

    name: str
    seconds: float  # wall
    cpu_seconds: float  # of the whole process (osmium parses in threads of its own)
    detail: str


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What a one-shot match found: counts per side and status, and the stages it went through."""

    out: Path
    city: int
    osm: int
    city_statuses: dict[str, int]  # matched, ambiguous, city_only, city_duplicate
    osm_statuses: dict[str, int]  # osm_only, osm_duplicate (OSM places linked or offered are not counted)
    skipped: int
    osm_only_written: bool = True
    stages: tuple[Stage, ...] = field(default=())

    def describe(self) -> str:
        """Return the one-line summary the command prints."""
        city = ", ".join(f"{count} {status}" for status, count in sorted(self.city_statuses.items())) or "none"
        osm = ", ".join(f"{count} {status}" for status, count in sorted(self.osm_statuses.items())) or "none unlinked"
        left_out = ""
        if not self.osm_only_written and self.osm_statuses.get("osm_only"):
            left_out = " (osm_only rows not written)"
        return (f"{self.city} city records: {city}; {self.skipped} skipped. {self.osm} OSM features: {osm}{left_out}. "
                f"Wrote {self.out}")

    def describe_stages(self) -> str:
        """Return one line per stage: its time and counts (printed with -v or --debug)."""
        return "\n".join(f"  {s.name:<12} {s.seconds:7.2f} s  {s.cpu_seconds:7.2f} s CPU  {s.detail}"
                         for s in self.stages)


class _Stages:
    """Times the stages of a run."""

    def __init__(self) -> None:
        self.done: list[Stage] = []

    @contextmanager
    def stage(self, name: str, detail: Callable[[], str]) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        yield
        self.done.append(Stage(name, time.perf_counter() - start, time.process_time() - cpu, detail()))


def spec_for_file(path: Path, *, crs: str = "EPSG:4326", encoding: str | None = None,
                  delimiter: str | None = None) -> SourceSpec:
    """A SourceSpec for a local file, its kind chosen from the extension."""
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise SourceError(f"{path}: unknown city file type {path.suffix!r}; expected .csv, .geojson or .json")
    if delimiter == "\\t":  # typed on a command line
        delimiter = "\t"
    return SourceSpec(kind=kind, location=str(path), crs=crs, encoding=encoding,  # type: ignore[arg-type]
                      delimiter=delimiter)


def read_file_places(path: Path, mapping: TagMapping, *, crs: str = "EPSG:4326", licence: str = "unknown",
                     skip_invalid: bool = False, encoding: str | None = None,
                     delimiter: str | None = None) -> MappedSource:
    """The records of one city file the mapping covers, read and checked as `osmbridge run` does."""
    from osmbridge.mapping import read_mapped_places

    return read_mapped_places(spec_for_file(path, crs=crs, encoding=encoding, delimiter=delimiter), mapping,
                              dataset=mapping.name, licence=licence, skip_invalid=skip_invalid)


def match_files(city_path: Path, osm_path: Path, mapping: TagMapping, out: Path, *, crs: str = "EPSG:4326",
                licence: str = "unknown", skip_invalid: bool = False, max_distance_m: float | None = None,
                osm_only: bool = True, encoding: str | None = None, delimiter: str | None = None) -> MatchSummary:
    """Match a city file against an OSM file with a mapping and write matches.csv.

    `max_distance_m` replaces the mapping's match distances (every category's); `osm_only=False`
    leaves the unlinked OSM places out of matches.csv.
    """
    from osmbridge.mapping import apply_mapping
    from osmbridge.match import MatchRules, match_places, osm_tag_keys
    from osmbridge.model import DatasetResult
    from osmbridge.osm import read_osm_file
    from osmbridge.report.matches_csv import row_status, write_matches_csv
    from osmbridge.sources.area import DatasetArea, features_inside

    stages = _Stages()
    with stages.stage("read city", lambda: f"{len(city.places)} records from {city_path}, "
                                           f"{len(city.skipped)} skipped"):
        city = read_file_places(city_path, mapping, crs=crs, licence=licence, skip_invalid=skip_invalid,
                                encoding=encoding, delimiter=delimiter)
        city.require_usable(mapping)
    distance = f"; match distance {max_distance_m:g} m for every category" if max_distance_m is not None else ""
    with stages.stage("mapping", lambda: f"{len(features)} features, {len(unmapped)} records not mapped{distance}"):
        features, unmapped = apply_mapping(mapping, city.places, skip_invalid=skip_invalid)
        if max_distance_m is not None:
            features = [replace(feature, match_distance_m=max_distance_m) for feature in features]
    rules = MatchRules()
    filters = mapping.osm_filters()
    with stages.stage("read OSM", lambda: f"{len(osm)} features from {osm_path} ({len(filters)} tag filters)"):
        # The matcher reads a few tags and no timestamps: copy only those.
        osm = read_osm_file(osm_path, filters, tag_keys=osm_tag_keys(features, rules), timestamps=False)
    with stages.stage("area", lambda: f"{len(outside)} records outside the OSM data's extent"):
        # No area is configured here: the OSM file says roughly where the records belong. Its extent is
        # the box around the places' centres, found in one vectorised pass.
        extent = [shapely.box(*shapely.total_bounds([p.center for p in osm]))] if osm else []
        features, outside = features_inside(features, DatasetArea.from_osm_extent(extent, mapping.name), crs=crs)
    with stages.stage("match", lambda: f"{len(features)} city features against {len(osm)} OSM places"):
        matches = match_places(features, osm, rules)
    city_statuses = Counter(row_status(m) for m in matches[:len(features)])
    osm_statuses = Counter(row_status(m) for m in matches[len(features):])
    rows = len(matches) if osm_only else len(matches) - osm_statuses.get("osm_only", 0)
    with stages.stage("write", lambda: f"{rows} rows to {out}"):
        write_matches_csv(DatasetResult(dataset=mapping.name, licence=licence, run_id=0, started_at="",
                                        city=tuple(features), osm=tuple(osm), matches=tuple(matches),
                                        differences=()), out, osm_only=osm_only)
    return MatchSummary(out=out, city=len(features), osm=len(osm), city_statuses=dict(city_statuses),
                        osm_statuses=dict(osm_statuses), skipped=len(city.skipped) + len(unmapped) + len(outside),
                        osm_only_written=osm_only, stages=tuple(stages.done))


def check_mapping_files(mapping_path: Path, data: Sequence[Path], *, crs: str = "EPSG:4326",
                        encoding: str | None = None, delimiter: str | None = None) -> tuple[MappingCheck, str]:
    """Check a mapping against data files: (MappingCheck, the text to print)."""
    from osmbridge.mapping import check_mapping, format_check, load_mapping

    mapping = load_mapping(mapping_path)
    records: list[RawRecord] = []
    unreadable: list[SkippedRecord] = []
    for path in data:
        # Read as `run` reads: the covered records are checked, and those it would stop on are listed.
        city = read_file_places(path, mapping, crs=crs, skip_invalid=True, encoding=encoding, delimiter=delimiter)
        records.extend(city.source.records)
        unreadable.extend(city.unreadable)
    check = check_mapping(mapping, records, unreadable)
    return check, format_check(check)
