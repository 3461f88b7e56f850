"""Small differences and a store holding runs of them, for the review tests."""

from __future__ import annotations

import dataclasses

from shapely.geometry import Point

from osmbridge.diff import next_sync_base
from osmbridge.model import CityFeature, CityPlace, DatasetResult, Difference, Match, OsmPlace, RunCounts
from osmbridge.store import Fingerprints, Store

DATASET = "libs"
T0 = "2026-01-01T00:00:00+00:00"


def difference(field: str = "phone", city: str | None = "+33240000001", osm: str | None = "+33240000000", *,
               kind: str = "differs", source_id: str | None = "1", osm_key: str | None = "n10",
               proposal: str = "to_osm", **extra: object) -> Difference:
    """A difference whose id follows its place, field, kind and values (as the diff stage's ids do)."""
    diff_id = "-".join(str(part) for part in (kind, source_id, osm_key, field, city, osm))
    values = dict(id=diff_id, dataset=DATASET, kind=kind, source_id=source_id, osm_key=osm_key, field=field,
                  city_value=city, osm_value=osm, changed_side="city", proposal=proposal, lon=-1.55, lat=47.21,
                  category="library", name=f"Library {source_id or osm_key}", osm_version=3)
    return Difference(**{**values, **extra})  # type: ignore[arg-type]


def feature(source_id: str) -> CityFeature:
    place = CityPlace(dataset=DATASET, source_id=source_id, geometry=Point(-1.55, 47.21), fields={"id": source_id},
                      licence="ODbL-1.0", origin=f"libs.csv:{source_id}")
    return CityFeature(place=place, mapping="libs", category="library", name=f"Library {source_id}",
                       tags={"amenity": "library"}, match_tags=(("amenity", "library"),), match_distance_m=50)


def osm_place(key: str) -> OsmPlace:
    return OsmPlace(osm_type=key[0], osm_id=int(key[1:]), version=3, geometry=Point(-1.55, 47.21),  # type: ignore[arg-type]
                    tags={"amenity": "library"}, center=Point(-1.55, 47.21))


def record_run(store: Store, differences: list[Difference], *, city: tuple[str, ...] = ("1", "2", "3"),
               osm: tuple[str, ...] = ("n10", "n11", "n12", "w20"), when: str = T0,
               fingerprints: dict[str, str] | None = None) -> int:
    """Record one successful run of the dataset with these differences; return the run id."""
    run_id = store.start_run("test", when)
    dataset_run = store.start_dataset(run_id, DATASET, when)
    counts = RunCounts(run_id=run_id, started_at=when, city_places=len(city), osm_places=len(osm), matched=0,
                       ambiguous=0, missing_in_osm=0, missing_in_city=0, differences=len(differences), skipped=0)
    result = DatasetResult(dataset=DATASET, licence="ODbL-1.0", run_id=run_id, started_at=when,
                           city=tuple(feature(s) for s in city), osm=tuple(osm_place(k) for k in osm),
                           matches=(Match(source_id="1", osm_key="n10", status="matched", method="ref", score=1.0),),
                           differences=tuple(differences))
    prints = fingerprints or {}
    store.record_dataset(dataset_run, result, counts,
                         Fingerprints(city={s: prints.get(s, f"c{s}") for s in city},
                                      osm={k: prints.get(k, f"o{k}") for k in osm}), "reports/libs",
                         next_sync_base(store.sync_base(DATASET), result.city, result.osm, result.matches,
                                        result.differences))
    store.finish_run(run_id, "ok", when)
    return run_id


def changed(diff: Difference, **values: object) -> Difference:
    """The same difference with other values, and the new id that gives."""
    new = dataclasses.replace(diff, **values)  # type: ignore[arg-type]
    return difference(new.field or "", new.city_value, new.osm_value, kind=new.kind, source_id=new.source_id,
                      osm_key=new.osm_key, proposal=new.proposal)
