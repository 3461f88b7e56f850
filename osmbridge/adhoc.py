"""One-shot work on files, without config or state: `osmbridge match` and `osmbridge mappings check`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from osmbridge.errors import SourceError
from osmbridge.mapping import (
    MappedSource,
    MappingCheck,
    TagMapping,
    apply_mapping,
    check_mapping,
    format_check,
    load_mapping,
    read_mapped_places,
)
from osmbridge.match import MatchRules, match_places
from osmbridge.model import DatasetResult, Match, SkippedRecord, SourceSpec
from osmbridge.osm import read_osm_file
from osmbridge.report import write_matches_csv
from osmbridge.sources.area import DatasetArea, features_inside
from osmbridge.sources.records import RawRecord

_KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "json"}


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What a one-shot match found."""

    out: Path
    city: int
    osm: int
    statuses: dict[str, int]
    skipped: int

    def describe(self) -> str:
        parts = ", ".join(f"{count} {status}" for status, count in sorted(self.statuses.items()))
        return (f"{self.city} city records, {self.osm} OSM features: {parts}; {self.skipped} skipped. "
                f"Wrote {self.out}")


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
    return read_mapped_places(spec_for_file(path, crs=crs, encoding=encoding, delimiter=delimiter), mapping,
                              dataset=mapping.name, licence=licence, skip_invalid=skip_invalid)


def match_files(city_path: Path, osm_path: Path, mapping: TagMapping, out: Path, *, crs: str = "EPSG:4326",
                licence: str = "unknown", skip_invalid: bool = False, encoding: str | None = None,
                delimiter: str | None = None) -> MatchSummary:
    """Match a city file against an OSM file with a mapping and write matches.csv."""
    city = read_file_places(city_path, mapping, crs=crs, licence=licence, skip_invalid=skip_invalid,
                            encoding=encoding, delimiter=delimiter)
    city.require_usable(mapping)
    features, unmapped = apply_mapping(mapping, city.places, skip_invalid=skip_invalid)
    osm = read_osm_file(osm_path, mapping.osm_filters())
    # No area is configured here: the OSM file says roughly where the records belong.
    features, outside = features_inside(features, DatasetArea.from_osm_extent((p.center for p in osm), mapping.name),
                                        crs=crs)
    matches: list[Match] = match_places(features, osm, MatchRules())
    write_matches_csv(DatasetResult(dataset=mapping.name, licence=licence, run_id=0, started_at="",
                                    city=tuple(features), osm=tuple(osm), matches=tuple(matches),
                                    differences=()), out)
    return MatchSummary(out=out, city=len(features), osm=len(osm),
                        statuses=dict(Counter(m.status for m in matches)),
                        skipped=len(city.skipped) + len(unmapped) + len(outside))


def check_mapping_files(mapping_path: Path, data: Sequence[Path], *, crs: str = "EPSG:4326",
                        encoding: str | None = None, delimiter: str | None = None) -> tuple[MappingCheck, str]:
    """Check a mapping against data files: (MappingCheck, the text to print)."""
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
