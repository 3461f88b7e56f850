"""Turns real places into city records and OSM elements, with ids, versions and timestamps.

The `Builder` is the shared workshop of the scenario: it owns the random generator, the id
counters, the state at the last sync (`previous`), the links between city ids and OSM keys, and
the list of injected cases that becomes truth.json.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from osmbridge.demo.elements import CityRecord, OsmElement, Snapshot
from osmbridge.demo.formats import city_hours, city_phone, city_website, osm_hours, osm_phone, osm_website
from osmbridge.demo.places import Place, PlaceFactory
from osmbridge.demo.town import POSTCODE, Town, offset
from osmbridge.model import OsmType

REF_TAG = "ref:FR:BSL"
SYNC_TIMESTAMP = "2024-06-01T00:00:00Z"
_HISTORY_START = datetime(2012, 3, 1, tzinfo=UTC)
_SYNC = datetime(2024, 6, 1, tzinfo=UTC)
_NOW = datetime(2024, 10, 31, tzinfo=UTC)
_CITY_UPDATES = ("2023-11-14", "2024-01-09", "2024-02-20", "2024-03-28", "2024-05-06")
CITY_UPDATED_AFTER_SYNC = "2024-09-16"
# Invented mappers. Their uids, like the changeset ids below, sit near the top of osmium's 32-bit
# range, far above real ones, so nothing in a demo report points at a real account or changeset.
_MAPPERS = tuple((name, 4_200_000_001 + index) for index, name in enumerate(
    ("lune_mappeuse", "cartolune", "Gwen de la Grève", "velo_bourg", "petit_pont", "Kerlann", "marais_osm",
     "Ronan-Cartes")))


@dataclass(slots=True)
class Case:
    """One disagreement (or deliberate non-disagreement) injected into the demo data."""

    kind: str
    source_id: str | None
    osm_key: str | None
    field: str | None = None  # OSM tag key
    city_field: str | None = None  # the city column behind `field`
    city_value: str | None = None  # as written in city-current
    osm_value: str | None = None  # as written in osm-current
    base_city_value: str | None = None  # as written in city-previous (changes only)
    base_osm_value: str | None = None  # as written in osm-previous (changes only)
    side: str | None = None  # which side moved away from the other: "city", "osm", "both"
    distance_m: float | None = None
    osm_keys: list[str] = dataclasses.field(default_factory=list)
    # An OSM-only place: the category a tool reading its tags should give it (the city label, or
    # "unknown" when another mapped category has exactly the same tags).
    category: str | None = None
    # A closure: the main keys OSM must move under `disused:` (all other tags stay as they are).
    lifecycle_keys: list[str] = dataclasses.field(default_factory=list)
    expected: str = ""  # what a good tool reports, in model.DiffKind words, or "nothing"
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, [], "")}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Builder:
    """Ids, metadata and base records of the demo, plus the cases injected so far."""

    def __init__(self, rng: random.Random, town: Town, factory: PlaceFactory) -> None:
        self.rng, self.town, self.factory = rng, town, factory
        self.previous = Snapshot()
        self.current: Snapshot | None = None  # set when the scenario moves past the sync
        self.place_of: dict[str, Place] = {}
        self.link: dict[str, str] = {}  # source id -> OSM key of the same place
        self.has_ref: dict[str, bool] = {}
        self.cases: list[Case] = []
        self.used: set[str] = set()  # source ids already given a case
        self.unrelated: list[dict[str, str]] = []
        # Ids far above any real OSM id (nodes are around 1.3e10 in 2024): a link from a report to
        # openstreetmap.org finds nothing, and an upload of a demo change file fails instead of
        # editing somebody's real object.
        self._ids = {"n": 9_100_000_000_000, "w": 9_200_000_000_000, "r": 9_300_000_000_000}
        self._ids_after_sync = {key: value + 50_000_000_000 for key, value in self._ids.items()}
        self._changeset = 21_000_000
        self._record_count = 0

    # --- ids and metadata ---------------------------------------------------------------------

    def new_id(self, osm_type: str, *, after_sync: bool = False) -> int:
        """A fresh OSM id, rising like real ids (objects created after the sync get higher ones)."""
        counters = self._ids_after_sync if after_sync else self._ids
        counters[osm_type] += self.rng.randint(1, 40_000 if osm_type == "n" else 5_000)
        return counters[osm_type]

    def new_source_id(self) -> str:
        """The next city record id: BSL-0001, BSL-0002, ..."""
        self._record_count += 1
        return f"BSL-{self._record_count:04d}"

    def element(self, osm_type: OsmType, tags: dict[str, str], *, after_sync: bool = False,
                **geometry: Any) -> OsmElement:
        """A new OSM element last edited before the sync (or created after it)."""
        user, uid = self.rng.choice(_MAPPERS)
        if after_sync:
            version, moment = 1, self._moment(_SYNC + timedelta(days=1), _NOW)
        else:
            version, moment = self.rng.choice((1, 1, 2, 2, 3, 4, 5, 7)), self._moment(_HISTORY_START, _SYNC)
        return OsmElement(osm_type, self.new_id(osm_type, after_sync=after_sync), version, _iso(moment), user, uid,
                          self._new_changeset(moment), dict(sorted(tags.items())), **geometry)

    def touch(self, element: OsmElement) -> None:
        """Record a mapper's edit after the sync: version + 1, new user, timestamp and changeset."""
        moment = self._moment(_SYNC + timedelta(days=1), _NOW)
        element.version += 1
        element.user, element.uid = self.rng.choice(_MAPPERS)
        element.timestamp = _iso(moment)
        element.changeset = self._new_changeset(moment)
        element.tags = dict(sorted(element.tags.items()))

    def _moment(self, start: datetime, end: datetime) -> datetime:
        return start + timedelta(seconds=self.rng.randrange(int((end - start).total_seconds())))

    def _new_changeset(self, moment: datetime) -> int:
        # Changeset ids grow with time; derive them from the moment so they stay plausible.
        return 4_000_000_000 + (moment - _HISTORY_START).days * 40_000 + self.rng.randrange(40_000)

    def jitter(self, position: tuple[float, float], max_m: float) -> tuple[float, float]:
        """A position up to `max_m` metres from `position`: two surveys never agree exactly."""
        return offset(position, self.rng.uniform(0, max_m), self.rng.uniform(0, math.tau))

    # --- base records -------------------------------------------------------------------------

    def city_record(self, source_id: str, place: Place) -> CityRecord:
        """What the city's dataset says about a place, in the city's own writing habits."""
        rng = self.rng
        fields: dict[str, Any] = {
            "identifiant": source_id,
            "nom": place.name or "",
            "categorie": place.category.label,
            "numero": place.address.number if place.category.prefix else None,
            "voie": place.address.street if place.category.prefix else None,
            "code_postal": POSTCODE if place.category.prefix else None,  # street furniture has no address
            "commune": self.town.name,
            "quartier": self.town.neighbourhood_of(place.position).name,
            "emplacement": place.emplacement,
            "telephone": city_phone(rng, place.phone) if place.phone else None,
            "site_web": city_website(rng, place.website) if place.website else None,
            "horaires": city_hours(rng, place.hours) if place.hours else None,
            "code_uai": place.uai,
            "statut": "Ouvert",
            "date_maj": rng.choice(_CITY_UPDATES),
        }
        return CityRecord(fields, self.jitter(place.position, 3.0))

    def osm_tags(self, place: Place, source_id: str | None, *, with_ref: bool) -> dict[str, str]:
        """The tags OSM mappers gave a place, in their writing habits."""
        rng = self.rng
        tags = dict(place.category.tags)
        if place.name:
            tags["name"] = place.name
        if place.category.prefix:  # buildings carry an address; street furniture does not
            tags["addr:housenumber"] = str(place.address.number)
            tags["addr:street"] = place.address.street
            tags["addr:postcode"] = POSTCODE
        if place.phone:
            tags["phone"] = osm_phone(rng, place.phone)
        if place.website:
            tags["website"] = osm_website(rng, place.website)
        if place.hours:
            tags["opening_hours"] = osm_hours(rng, place.hours)
        if place.uai:
            tags["ref:UAI"] = place.uai
        if with_ref and source_id:
            tags[REF_TAG] = source_id
        # Tags only OSM keeps: the comparison must leave them alone.
        if place.category.prefix and rng.random() < 0.5:
            tags["wheelchair"] = rng.choice(("yes", "yes", "limited", "no"))
        if place.category.prefix is None and rng.random() < 0.3:
            tags["operator"] = "Communauté de communes de la Lune"
        return tags

    def add_place(self, place: Place, *, city: bool = True, osm: bool = True) -> tuple[str | None, OsmElement | None]:
        """Put a place on either or both sides of the previous state; returns its source id and element."""
        source_id = self.new_source_id() if city else None
        if source_id:
            self.previous.city[source_id] = self.city_record(source_id, place)
            self.place_of[source_id] = place
        element = None
        if osm:
            with_ref = source_id is not None and place.category.mapped and self.rng.random() < 0.75
            tags = self.osm_tags(place, source_id, with_ref=with_ref)
            element = self.previous.add(self.element("n", tags, position=self.jitter(place.position, 3.0)))
            if source_id:
                self.link[source_id] = element.key
                self.has_ref[source_id] = with_ref
        return source_id, element

    # --- picking places for cases -------------------------------------------------------------

    def take(self, count: int, accept: Callable[[str, Place], bool], *, linked: bool = True) -> list[str]:
        """Up to `count` unused source ids, at random, whose place passes `accept`."""
        pool = [source_id for source_id, place in self.place_of.items()
                if source_id not in self.used and place.category.mapped
                and (not linked or source_id in self.link) and accept(source_id, place)]
        chosen = self.rng.sample(pool, min(count, len(pool)))
        self.used.update(chosen)
        return sorted(chosen)

    def record(self, case: Case) -> None:
        self.cases.append(case)

    def osm_of(self, snapshot: Snapshot, source_id: str) -> OsmElement:
        return snapshot.osm[self.link[source_id]]

    def add_unrelated(self, elements: Iterable[OsmElement], note: str) -> None:
        """OSM features outside the dataset's types or area: a good tool filters them out."""
        for element in elements:
            self.previous.add(element)
            self.unrelated.append({"osm_key": element.key, "note": note})
