"""The perturbation (noise) model: derive a city list from OSM features, with the truth of each link.

A `SyntheticSet` holds the perturbed OSM side, the city records derived from it, and for each city
record the OSM key it must be linked to (None when its origin was removed from OSM). The same
`NoiseModel`, seed and input always give the same set. benchmarks/README.md documents the model.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from shapely.geometry import Point

from benchmarks import names
from osmbridge.model import OsmPlace

Kind = tuple[str, str]  # the primary tag, e.g. ("amenity", "school")

_EARTH_RADIUS_M = 6_371_008.8
# Ids of the synthetic OSM features; far above any real OSM id so they never collide.
SYNTHETIC_ID_BASE = 9_000_000_000_000


@dataclass(frozen=True, slots=True)
class NoiseModel:
    """Rates and distributions of the perturbations; each is drawn independently per feature."""

    position_sigma_m: float = 12.0  # per-axis σ of the Gaussian position noise
    far_offset_rate: float = 0.05  # share of records moved far instead...
    far_offset_range: tuple[float, float] = (0.4, 0.9)  # ...by this fraction of the max distance
    typo_rate: float = 0.15
    abbreviation_rate: float = 0.15
    accent_drop_rate: float = 0.20
    upper_case_rate: float = 0.10
    word_drop_rate: float = 0.08
    no_name_rate: float = 0.02  # the city record carries no name at all
    drop_city_rate: float = 0.10  # the OSM feature gets no city record (stays OSM-only)
    drop_osm_rate: float = 0.08  # the city record's origin is removed from OSM (must stay unmatched)
    confusable_rate: float = 0.15  # a feature of another type is added near the true one...
    confusable_range_m: tuple[float, float] = (3.0, 20.0)  # ...at this distance
    confusable_same_name_rate: float = 0.5  # ...under the very same name (else one word changed)
    # The "hard" variations below are drawn from a stream of their own, only when one of their rates is
    # set, so that the sets of the base model stay as they are.
    shortening_rate: float = 0.0  # a word shortened as no table has it: cut, consonants kept, initials
    double_typo_rate: float = 0.0  # two slips in one word of a short name (at most two words)
    far_absolute_rate: float = 0.0  # moved this far whatever the max distance...
    far_absolute_range_m: tuple[float, float] = (60.0, 150.0)
    renamed_rate: float = 0.0  # the city calls the place by another name altogether

    @property
    def hard(self) -> bool:
        return bool(self.shortening_rate or self.double_typo_rate or self.far_absolute_rate or self.renamed_rate)


# The base model plus what real lists held back from the project showed (issue 11): shortened words
# no table lists, two slips in short names, far offsets whatever the match distance, renamed places.
HARD = NoiseModel(shortening_rate=0.15, double_typo_rate=0.10, far_absolute_rate=0.06, renamed_rate=0.02)


@dataclass(frozen=True, slots=True)
class CityRecord:
    """One record of the derived city list, and the perturbations it went through."""

    source_id: str
    lon: float
    lat: float
    kind: Kind
    name: str | None
    origin_key: str  # the OSM feature it was derived from
    perturbations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SyntheticSet:
    """A benchmark set: both sides as the tools see them, and the expected link of each record."""

    name: str
    max_distance_m: float
    kinds: tuple[Kind, ...]  # every OSM type on the OSM side (the tools' query)
    city: tuple[CityRecord, ...]
    osm: tuple[OsmPlace, ...]
    expected: Mapping[str, str | None] = field(default_factory=dict)  # source_id -> OSM key


def offset_point(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """Return (lon, lat) moved by the given metres east and north (local spherical approximation)."""
    # Offsets stay under a kilometre, where the local tangent plane is exact to well under a metre.
    dlat = math.degrees(north_m / _EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (_EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lon + dlon, lat + dlat


def perturb_name(name: str, language: str, model: NoiseModel, rng: random.Random) -> tuple[str | None, list[str]]:
    """Return the city's spelling of an OSM name and the labels of the variants applied."""
    if rng.random() < model.no_name_rate:
        return None, ["no_name"]
    labels: list[str] = []
    steps: list[tuple[float, str, Callable[[str], str]]] = [
        (model.word_drop_rate, "word_drop", lambda s: names.drop_word(s, rng)),
        (model.abbreviation_rate, "abbreviation", lambda s: names.abbreviate(s, language, rng)),
        (model.typo_rate, "typo", lambda s: names.add_typo(s, rng)),
        (model.accent_drop_rate, "accents", names.drop_accents),
        (model.upper_case_rate, "upper_case", str.upper),
    ]
    for rate, label, apply in steps:
        # Draw for every step, applied or not, so one rate change does not reshuffle the others.
        if rng.random() < rate:
            changed = apply(name)
            if changed != name:
                name = changed
                labels.append(label)
    return name, labels


def _confusable(place: OsmPlace, other: Kind, name: str, words: Sequence[str], index: int,
                model: NoiseModel, rng: random.Random) -> tuple[OsmPlace, str]:
    """Return a node of type `other` near `place`, named like it, and how its name was made."""
    distance_m = rng.uniform(*model.confusable_range_m)
    bearing = rng.uniform(0.0, 2.0 * math.pi)
    lon, lat = offset_point(place.center.x, place.center.y,
                            distance_m * math.sin(bearing), distance_m * math.cos(bearing))
    if rng.random() < model.confusable_same_name_rate or not words:
        label = "confusable_same_name"
    else:
        parts = name.split()
        parts[rng.randrange(len(parts))] = rng.choice(words)
        name, label = " ".join(parts), "confusable_similar_name"
    point = Point(lon, lat)
    return OsmPlace("n", SYNTHETIC_ID_BASE + index, 1, point, {other[0]: other[1], "name": name}, point), label


def perturb(set_name: str, osm: Sequence[OsmPlace], kind_of: Callable[[OsmPlace], Kind | None],
            max_distance_m: float, language: str, seed: int, model: NoiseModel = NoiseModel(),
            confusable_kinds: Sequence[Kind] = (), background: Sequence[OsmPlace] = ()) -> SyntheticSet:
    """Derive a city list from the named features of `osm` and return both sides with the truth.

    `osm` is the OSM side before perturbation: every feature of the set's types, named or not;
    the named ones are the truth. Confusable neighbours take a type among the set's other types,
    else among `confusable_kinds`. `background` joins the OSM side untouched and gets no city record
    (the OSM features of a region the city list does not cover).
    """
    rng = random.Random(f"{set_name}:{seed}")
    hard_rng = random.Random(f"{set_name}:{seed}:hard")
    places = sorted(osm, key=lambda p: (p.osm_type, p.osm_id))
    kinds = {p.key: kind_of(p) for p in places}
    background_kinds = {kind_of(p) for p in background}
    all_kinds = sorted(({k for k in kinds.values()} | background_kinds | set(confusable_kinds)) - {None})
    vocabulary = sorted({w for p in places for w in p.tags.get("name", "").split() if len(w) > 3})
    kept_osm: list[OsmPlace] = []
    added_osm: list[OsmPlace] = []
    records: list[tuple[CityRecord, str | None]] = []
    for place in places:
        kind = kinds[place.key]
        name = place.tags.get("name")
        # Draw every choice for every feature so the stream stays aligned across rates.
        drop_city, drop_osm = rng.random() < model.drop_city_rate, rng.random() < model.drop_osm_rate
        if drop_city and drop_osm:
            drop_osm = False  # a feature on neither side tests nothing
        add_confusable = rng.random() < model.confusable_rate
        if not drop_osm:
            kept_osm.append(place)
        if kind is None or not name:
            continue
        labels: list[str] = []
        if add_confusable and not drop_osm:
            others = [k for k in all_kinds if k != kind]
            if others:
                node, label = _confusable(place, rng.choice(others), name, vocabulary, len(added_osm),
                                          model, rng)
                added_osm.append(node)
                labels.append(label)
        if drop_city:
            continue
        if drop_osm:
            labels.append("origin_removed")
        city_name, name_labels = perturb_name(name, language, model, rng)
        labels += name_labels
        if rng.random() < model.far_offset_rate:
            low, high = model.far_offset_range
            distance_m = rng.uniform(low, high) * max_distance_m
            bearing = rng.uniform(0.0, 2.0 * math.pi)
            east_m, north_m = distance_m * math.sin(bearing), distance_m * math.cos(bearing)
            labels.append("far_offset")
        else:
            east_m, north_m = rng.gauss(0.0, model.position_sigma_m), rng.gauss(0.0, model.position_sigma_m)
        if model.hard:
            city_name, east_m, north_m = _hard(city_name, east_m, north_m, vocabulary, labels, model, hard_rng)
        lon, lat = offset_point(place.center.x, place.center.y, east_m, north_m)
        record = CityRecord("", lon, lat, kind, city_name, place.key, tuple(labels))
        records.append((record, None if drop_osm else place.key))
    # City lists come in their own order; shuffle so no tool profits from OSM's order.
    rng.shuffle(records)
    city = tuple(_with_id(r, f"{set_name}-{i + 1:06d}") for i, (r, _) in enumerate(records))
    expected = {c.source_id: want for c, (_, want) in zip(city, records)}
    return SyntheticSet(set_name, max_distance_m, tuple(all_kinds), city, tuple(kept_osm + added_osm + list(background)),
                        expected)


def _hard(name: str | None, east_m: float, north_m: float, vocabulary: Sequence[str], labels: list[str],
          model: NoiseModel, rng: random.Random) -> tuple[str | None, float, float]:
    """Apply the hard variations to a record's name and offset (labels appended in place)."""
    draws = [rng.random() for _ in range(4)]
    if name and draws[0] < model.renamed_rate and vocabulary:
        name = " ".join(rng.sample(list(vocabulary), 2))
        labels.append("renamed")
    elif name:
        if draws[1] < model.shortening_rate:
            shortened = names.shorten(name, rng)
            if shortened != name:
                name = shortened
                labels.append("shortening")
        if draws[2] < model.double_typo_rate and len(name.split()) <= 2:
            slipped = names.add_two_typos(name, rng)
            if slipped != name:
                name = slipped
                labels.append("double_typo")
    if draws[3] < model.far_absolute_rate:
        distance_m = rng.uniform(*model.far_absolute_range_m)
        bearing = rng.uniform(0.0, 2.0 * math.pi)
        east_m, north_m = distance_m * math.sin(bearing), distance_m * math.cos(bearing)
        labels.append("far_absolute")
    return name, east_m, north_m


def _with_id(record: CityRecord, source_id: str) -> CityRecord:
    return CityRecord(source_id, record.lon, record.lat, record.kind, record.name, record.origin_key,
                      record.perturbations)
