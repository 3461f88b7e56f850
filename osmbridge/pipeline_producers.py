"""The pipeline's read-match-compare steps for a dataset with several producers.

Each producer is read through its own mapping (its records' ids become "producer:id"), the OSM side
is read once for all, each producer is matched to OSM and to the others (`match.producers`), compared
with OSM, then its differences are routed to the producer holding each field and the producers'
disagreements added (`diff.producers`). Reports and the store take the result as any other
(`pipeline.publish`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from osmbridge.config import DatasetConfig
from osmbridge.diff import diff_dataset, next_sync_base
from osmbridge.diff.producers import last_changes, producer_stats, route_differences
from osmbridge.errors import OsmbridgeError
from osmbridge.mapping import apply_mapping, load_mapping, read_mapped_places
from osmbridge.mapping.rules import TagMapping
from osmbridge.match import MatchRules, city_fingerprint, osm_fingerprint
from osmbridge.match.producers import ProducerLinks, link_producers
from osmbridge.model import (CityFeature, CityPlace, DatasetResult, Difference, Match, OsmPlace, SkippedRecord,
                             SyncBase, SyncBaseUpdate, producer_source_id)
from osmbridge.osm.provenance import osm_data_source
from osmbridge.osm.shrink import check_osm_side
from osmbridge.pipeline import Compared, area_geometry, count_result, load_osm, osm_source
from osmbridge.producers_config import ProducerConfig
from osmbridge.progress import Progress
from osmbridge.sources.area import DatasetArea, features_inside
from osmbridge.sources.download import is_url
from osmbridge.sources.freshness import newest_update
from osmbridge.sources.provenance import city_data_source, city_data_sources
from osmbridge.store import Fingerprints, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Read:
    """One producer's records as read and mapped."""

    config: ProducerConfig
    mapping: TagMapping
    places: list[CityPlace]
    features: list[CityFeature]
    skipped: list[SkippedRecord]

    @property
    def name(self) -> str:
        return self.config.name


def compare_producers(dataset: DatasetConfig, store: Store, run_id: int, skip_invalid: bool, progress: Progress,
                      clock: Callable[[], str], config_file: Path) -> Compared:
    """Read every producer of a dataset, match them to OSM and to each other, and compare."""
    started_at = clock()
    progress.stage(dataset.name, "city")
    area = DatasetArea.from_config(dataset.area.bbox, dataset.name, config_file) if dataset.area.bbox else None
    read = [_read(dataset, producer, skip_invalid, area) for producer in dataset.producers]
    progress.stage(dataset.name, "osm")
    filters = list(dict.fromkeys(f for one in read for f in one.mapping.osm_filters()))
    osm, dropped = load_osm(dataset.osm, filters, dataset.area)
    log.info("%s: %d OSM places of the mapped types, %d not placed", dataset.name, len(osm), len(dropped))
    check_osm_side(dataset.name, len(osm), store.history(dataset.name), source=osm_source(dataset.osm),
                   max_shrink_share=dataset.osm.max_shrink_share, allow_empty=dataset.osm.allow_empty)
    if area is None:
        extent = DatasetArea.from_osm_extent((p.center for p in osm), dataset.name)
        read = [_inside(one, extent) for one in read]
    features = {one.name: one.features for one in read}
    order = [one.name for one in read]
    progress.stage(dataset.name, "match")
    links = link_producers(features, osm, order, MatchRules(), store.decisions(dataset.name))
    progress.stage(dataset.name, "diff")
    base = store.sync_base(dataset.name)
    countries = {one.mapping.country for one in read}
    region = countries.pop() if len(countries) == 1 else None
    own = {one.name: diff_dataset(dataset.name, one.features, osm, links.matches[one.name], base,
                                  area=area_geometry(dataset.area), region=one.mapping.country or region,
                                  report_osm_only=one.mapping.complete, dropped=dropped)
           for one in read}
    producers = tuple(p.producer for p in dataset.producers)
    differences = route_differences(dataset.name, producers, features, osm, links.groups, own, base, region)
    everyone = tuple(f for one in read for f in one.features)
    matches = _all_matches(links, order)
    skipped = tuple(s for one in read for s in one.skipped)
    counts = count_result(run_id, started_at, everyone, osm, matches, differences, skipped)
    fingerprints = Fingerprints(city={f.source_id: city_fingerprint(f) for f in everyone},
                                osm={p.key: osm_fingerprint(p) for p in osm})
    stats = producer_stats(producers, features, osm, links.matches, links.groups, own, differences,
                           {one.name: _digest(one.features) for one in read},
                           {one.name: _data_date(one, started_at) for one in read})
    stats = last_changes(stats, started_at, store.producer_history(dataset.name))
    result = DatasetResult(dataset=dataset.name, licence=dataset.licence, run_id=run_id, started_at=started_at,
                           city=everyone, osm=tuple(osm), matches=matches, differences=tuple(differences),
                           skipped=skipped, history=tuple(store.history(dataset.name)) + (counts,),
                           osm_dropped=tuple(dropped), review_url_template=dataset.review_url_template,
                           city_source=city_data_sources([p.source for p in dataset.producers], started_at),
                           osm_source=osm_data_source(dataset.osm.backend, dataset.osm.extract
                                                      if dataset.osm.backend == "extract" else dataset.osm.overpass_url,
                                                      osm, started_at),
                           licence_waiver=dataset.licence_waiver, attribution=dataset.attribution,
                           producers=producers, groups=links.groups, producer_stats=tuple(stats))
    update = _base_update(base, read, osm, links, own)
    return Compared(result, counts, fingerprints, update)


def _read(dataset: DatasetConfig, producer: ProducerConfig, skip_invalid: bool,
          area: DatasetArea | None) -> _Read:
    """Read one producer through its mapping; its records' ids become "producer:id"."""
    mapping = load_mapping(producer.mapping)
    city = read_mapped_places(producer.source, mapping, dataset=dataset.name, licence=producer.producer.licence,
                              skip_invalid=skip_invalid, bbox=dataset.area.bbox)
    city.require_usable(mapping)
    mapped, unmapped = apply_mapping(mapping, city.places, skip_invalid=skip_invalid)
    # After the mapping: the ref tag keeps the id as the producer wrote it.
    features = [replace(f, place=replace(f.place, source_id=producer_source_id(producer.name, f.source_id),
                                         producer=producer.name)) for f in mapped]
    features, outside = features_inside(features, area, crs=producer.source.crs)
    if city.places and not features:
        first = f" (first: {unmapped[0].origin}: {unmapped[0].problem})" if unmapped else ""
        raise OsmbridgeError(f"{dataset.name}: producer {producer.name}: the mapping {producer.mapping} covers none "
                             f"of the {len(city.places)} records{first}; check it with `osmbridge mappings check "
                             f"{producer.mapping} --data FILE`")
    log.info("%s: producer %s: %d records read, %d mapped", dataset.name, producer.name, len(city.places),
             len(features))
    return _Read(producer, mapping, city.places, features, city.skipped + outside + unmapped)


def _inside(read: _Read, extent: DatasetArea | None) -> _Read:
    features, outside = features_inside(read.features, extent, crs=read.config.source.crs)
    return replace(read, features=features, skipped=read.skipped + outside)


def _all_matches(links: ProducerLinks, order: Sequence[str]) -> tuple[Match, ...]:
    """Return every producer's matches, each OSM place left unlinked by all of them once."""
    linked = {m.osm_key for name in order for m in links.matches[name] if m.status == "matched"}
    found: list[Match] = []
    unlinked: set[str | None] = set()
    for name in order:
        for match in links.matches[name]:
            if match.source_id is not None:
                found.append(match)
            elif match.osm_key not in linked and match.osm_key not in unlinked:
                unlinked.add(match.osm_key)
                found.append(match)
    return tuple(found)


def _digest(features: Sequence[CityFeature]) -> str:
    """Return a short digest of a producer's records: it changes whenever any value or position of one does."""
    lines = sorted(json.dumps([f.source_id, {str(k): str(v) for k, v in f.place.fields.items()}, f.geometry.wkt],
                              sort_keys=True, ensure_ascii=False) for f in features)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def _data_date(read: _Read, started_at: str) -> str | None:
    """Return the data's own date: its newest record update, else its file's date (None for live data)."""
    if read.config.updated_field:
        return newest_update(read.places, read.config.updated_field)
    spec = read.config.source
    if spec.kind == "opendatasoft" or is_url(spec.location):
        return None  # read live: the reading time says nothing of the data's age
    return city_data_source(spec, started_at).date


def _base_update(base: SyncBase, read: Sequence[_Read], osm: Sequence[OsmPlace], links: ProducerLinks,
                 own: Mapping[str, Sequence[Difference]]) -> SyncBaseUpdate:
    """Return what moves into the sync base: each producer's agreement with OSM, the most trusted last (it wins)."""
    merged = SyncBaseUpdate()
    for one in reversed(read):
        update = next_sync_base(base, one.features, osm, links.matches[one.name], own[one.name])
        merged = SyncBaseUpdate(
            city={**merged.city, **update.city},
            osm={key: {**merged.osm.get(key, {}), **tags} for key, tags in update.osm.items()} | {
                key: tags for key, tags in merged.osm.items() if key not in update.osm},
            city_closed={**merged.city_closed, **update.city_closed},
            city_positions={**merged.city_positions, **update.city_positions},
            osm_positions={**merged.osm_positions, **update.osm_positions},
            city_links={**merged.city_links, **update.city_links},
            osm_links={**merged.osm_links, **update.osm_links},
        )
    return merged

