"""Quick scaling check of match_places (not a test): N city records against M OSM places.

    .venv/bin/python tests/match/match_scaling.py 100000 1000000

OSM places are points and small building polygons clustered in towns at about 100 per km², of 25
types with Zipf-like frequencies and two-word names (10 % unnamed); city records are a sample of the
named ones moved by 12 m Gaussian noise, with the same type and name. Prints the matching time,
the process's peak RSS, and the outcome counts.
"""

from __future__ import annotations

import math
import resource
import sys
import time
from collections import Counter

import numpy as np
import shapely

from osmbridge.match import match_places
from osmbridge.model import CityFeature, CityPlace, OsmPlace

_TYPES = [("amenity", v) for v in ("school", "kindergarten", "library", "pharmacy", "police", "townhall", "clinic",
                                   "doctors", "dentist", "post_office", "fire_station", "community_centre",
                                   "social_facility", "theatre", "arts_centre", "bicycle_parking", "bench",
                                   "recycling", "drinking_water", "toilets")]
_TYPES += [("leisure", v) for v in ("sports_centre", "swimming_pool", "playground")] + [("tourism", "museum"),
                                                                                       ("office", "government")]
_R = 6_371_008.8


def _osm(count: int, rng: np.random.Generator) -> list[OsmPlace]:
    half_m = max(math.sqrt(count / 100.0), 2.0) * 500.0
    towns = max(1, count // 2000)
    centre = rng.uniform(-half_m, half_m, (towns, 2))
    weight = 1.0 / np.arange(1, towns + 1)
    weight /= weight.sum()
    sigma = np.sqrt(weight * count / 100.0) * 500.0
    town = rng.choice(towns, count, p=weight)
    xy = np.clip(centre[town] + rng.normal(0, 1, (count, 2)) * sigma[town, None], -half_m, half_m)
    lat = 48.85 + np.degrees(xy[:, 1] / _R)
    lon = 2.35 + np.degrees(xy[:, 0] / (_R * math.cos(math.radians(48.85))))
    type_weight = 1.0 / np.arange(1, len(_TYPES) + 1) ** 0.8
    kinds = rng.choice(len(_TYPES), count, p=type_weight / type_weight.sum())
    words = [f"W{n:04d}" for n in range(3000)]
    first, second = rng.integers(0, 3000, count), rng.integers(0, 3000, count)
    unnamed, polygon = rng.random(count) < 0.1, rng.random(count) < 0.2
    points = shapely.points(lon, lat)
    boxes = shapely.box(lon - 0.0002, lat - 0.00013, lon + 0.0002, lat + 0.00013)
    places = []
    for n in range(count):
        key, value = _TYPES[kinds[n]]
        tags = {key: value}
        if not unnamed[n]:
            tags["name"] = f"{value.title()} {words[first[n]]} {words[second[n]]}"
        geometry = boxes[n] if polygon[n] else points[n]
        places.append(OsmPlace("w" if polygon[n] else "n", n + 1, 1, geometry, tags, points[n]))
    return places


def _city(osm: list[OsmPlace], count: int, rng: np.random.Generator) -> list[CityFeature]:
    named = [p for p in osm if "name" in p.tags]
    chosen = rng.choice(len(named), count, replace=False)
    noise = rng.normal(0, 12.0, (count, 2))
    features = []
    for n, index in enumerate(chosen.tolist()):
        place = named[index]
        lat = place.center.y + math.degrees(noise[n, 1] / _R)
        lon = place.center.x + math.degrees(noise[n, 0] / (_R * math.cos(math.radians(lat))))
        kind = next((k, v) for k, v in place.tags.items() if k != "name")
        tags = {kind[0]: kind[1], "name": place.tags["name"]}
        city_place = CityPlace("scale", f"c{n}", shapely.Point(lon, lat), {}, "ODbL-1.0", f"scale#{n}")
        features.append(CityFeature(city_place, "scale", kind[1], tags["name"], tags, (kind,), 100.0))
    return features


def main(argv: list[str]) -> int:
    n_city, n_osm = int(argv[1]), int(argv[2])
    rng = np.random.default_rng(7)
    osm = _osm(n_osm, rng)
    city = _city(osm, n_city, rng)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = time.perf_counter(), time.process_time()
    matches = match_places(city, osm)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n_city} x {n_osm}: match {wall:.1f} s wall, {cpu:.1f} s CPU; peak RSS {peak:.0f} MiB "
          f"({before:.0f} MiB with the inputs built)")
    print(dict(Counter(m.status for m in matches)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
