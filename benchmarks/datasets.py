"""The real OSM extracts the quality benchmark perturbs, and which of their features count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synthetic import Kind
from osmbridge.model import OsmPlace, TagFilter

# Public-service-like types, most specific key first: a feature takes the first one it carries.
PUBLIC_SERVICE_KINDS: tuple[Kind, ...] = tuple(
    [("amenity", v) for v in (
        "school", "kindergarten", "childcare", "college", "university", "library", "post_office",
        "townhall", "courthouse", "police", "fire_station", "hospital", "clinic", "doctors", "dentist",
        "pharmacy", "community_centre", "social_facility", "social_centre", "arts_centre", "theatre",
        "public_bath", "marketplace", "embassy")]
    + [("office", v) for v in ("government", "employment_agency")]
    + [("leisure", v) for v in ("sports_centre", "swimming_pool", "stadium")]
    + [("tourism", "museum")]
)
PUBLIC_SERVICE_FILTERS: tuple[TagFilter, ...] = tuple(TagFilter(k, v) for k, v in PUBLIC_SERVICE_KINDS)


def kind_of(tags: Mapping[str, str]) -> Kind | None:
    """Return the public-service type a feature's tags carry, or None."""
    for key, value in PUBLIC_SERVICE_KINDS:
        if tags.get(key) == value:
            return key, value
    return None


def place_kind(place: OsmPlace) -> Kind | None:
    """Return the public-service type of an OSM place, or None."""
    return kind_of(place.tags)


@dataclass(frozen=True, slots=True)
class RealSet:
    """One real extract: where it is, its language, and the matching distance both tools get."""

    name: str
    relative_path: str  # under the shared data folder
    language: str
    max_distance_m: float
    # Types for confusable neighbours when the extract has a single type of its own.
    confusable_kinds: tuple[Kind, ...] = ()

    def path(self, data_dir: Path) -> Path:
        return data_dir / self.relative_path


REAL_SETS: tuple[RealSet, ...] = (
    RealSet("paris-9e", "paris-9e-osm-2021/map.osm", "fr", 100.0),
    RealSet("helsinki", "helsinki-osm/Helsinki.osm.pbf", "fi", 100.0),
    RealSet("poland-police", "poland-offices/policja/osm_overpass.json", "pl", 150.0,
            confusable_kinds=(("amenity", "fire_station"), ("amenity", "townhall"), ("office", "government"))),
)
