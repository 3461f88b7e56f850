"""Synthetic OSM sides for the scaling benchmark: points, types and names over a city-to-region area.

Features cluster around towns (a Gaussian blob per town, sizes Zipf-like) over a square whose side
grows with the feature count, so the density stays near that of a dense city (~100 features per
km²) from 10k to 1M features. Types follow a Zipf law over the public-service types; names combine a
type word with one or two words from a generated vocabulary, so names repeat as real ones do
("École Jules Ferry" exists in many towns).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely

from benchmarks.datasets import PUBLIC_SERVICE_KINDS
from benchmarks.synthetic import Kind, offset_point
from osmbridge.model import OsmPlace

CENTRE = (2.35, 48.85)  # lon, lat; any mid-latitude place would do
FEATURES_PER_KM2 = 100.0
UNNAMED_RATE = 0.10  # share of features without a name (distractors only)
POLYGON_RATE = 0.20  # share drawn as a building outline (a way) instead of a node
_SYLLABLES = ("ba", "be", "bi", "bo", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "ga", "go", "la",
              "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe", "pi", "po", "ra",
              "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "va", "ve", "vi", "vo")


def type_word(kind: Kind) -> str:
    """Return the word a name starts with for a type: "school" -> "School"."""
    return kind[1].replace("_", " ").title()


def vocabulary(rng: np.random.Generator, size: int = 3000) -> list[str]:
    """Return `size` distinct capitalised pseudo-words of 2 to 4 syllables."""
    words: set[str] = set()
    while len(words) < size:
        count = int(rng.integers(2, 5))
        words.add("".join(_SYLLABLES[int(i)] for i in rng.integers(0, len(_SYLLABLES), count)).capitalize())
    return sorted(words)


def side_km(features: int) -> float:
    """Return the side of the square area holding `features` at the benchmark density."""
    return max(math.sqrt(features / FEATURES_PER_KM2), 2.0)


def generate_osm(features: int, seed: int, kinds: Sequence[Kind] = PUBLIC_SERVICE_KINDS,
                 first_id: int = 1) -> list[OsmPlace]:
    """Return `features` synthetic OSM places (nodes and building ways), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    half_m = side_km(features) * 500.0
    towns = max(1, features // 2000)
    town_xy = rng.uniform(-half_m, half_m, (towns, 2))
    town_weight = 1.0 / np.arange(1, towns + 1)  # Zipf: a few big towns, many villages
    town_weight /= town_weight.sum()
    town_sigma = np.sqrt(town_weight * features / FEATURES_PER_KM2) * 1000.0 / 2.0
    # 70 % of the features in towns, the rest spread over the whole area.
    in_town = rng.random(features) < 0.7
    town = rng.choice(towns, features, p=town_weight)
    xy = np.where(in_town[:, None], town_xy[town] + rng.normal(0, 1, (features, 2)) * town_sigma[town, None],
                  rng.uniform(-half_m, half_m, (features, 2)))
    # Wrap around the square's edges (a torus): clipping would stack features on the border.
    xy = np.mod(xy + half_m, 2 * half_m) - half_m
    lon0, lat0 = CENTRE
    lat = lat0 + np.degrees(xy[:, 1] / 6_371_008.8)
    lon = lon0 + np.degrees(xy[:, 0] / (6_371_008.8 * math.cos(math.radians(lat0))))
    kind_weight = 1.0 / np.arange(1, len(kinds) + 1) ** 0.8
    kind_index = rng.choice(len(kinds), features, p=kind_weight / kind_weight.sum())
    words = vocabulary(rng)
    word_a, word_b = rng.integers(0, len(words), features), rng.integers(0, len(words), features)
    two_words = rng.random(features) < 0.5
    unnamed = rng.random(features) < UNNAMED_RATE
    polygon = rng.random(features) < POLYGON_RATE
    size_m = rng.uniform(15.0, 60.0, features)
    points = shapely.points(lon, lat)
    places: list[OsmPlace] = []
    for i in range(features):
        kind = kinds[kind_index[i]]
        tags = {kind[0]: kind[1]}
        if not unnamed[i]:
            name = f"{type_word(kind)} {words[word_a[i]]}"
            tags["name"] = f"{name} {words[word_b[i]]}" if two_words[i] else name
        center = points[i]
        if polygon[i]:
            half = size_m[i] / 2.0
            corners = [offset_point(lon[i], lat[i], dx, dy)
                       for dx, dy in ((-half, -half), (half, -half), (half, half), (-half, half))]
            places.append(OsmPlace("w", first_id + i, 1, shapely.Polygon(corners), tags, center))
        else:
            places.append(OsmPlace("n", first_id + i, 1, center, tags, center))
    return places
