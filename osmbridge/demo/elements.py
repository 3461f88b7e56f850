"""What each side holds about the town at one moment: city records and OSM elements, still mutable.

The scenario builds these, copies them for the "current" state and edits the copy; the writers
turn them into GeoJSON and OSM XML.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

CITY_FIELDS = ("identifiant", "nom", "categorie", "numero", "voie", "code_postal", "commune", "quartier",
               "emplacement", "telephone", "site_web", "horaires", "code_uai", "statut", "date_maj")
# OSM tag -> the city column it comes from (the demo mapping says the same).
COLUMN_OF_TAG = {"name": "nom", "phone": "telephone", "website": "site_web", "opening_hours": "horaires",
                 "addr:housenumber": "numero", "addr:street": "voie", "addr:postcode": "code_postal",
                 "ref:UAI": "code_uai"}


@dataclass(slots=True)
class CityRecord:
    """One record of the city's dataset: its columns and geometry (local metres)."""

    fields: dict[str, Any]
    position: tuple[float, float]
    outline: tuple[tuple[float, float], ...] | None = None  # written as a Polygon when set

    @property
    def source_id(self) -> str:
        return str(self.fields["identifiant"])


@dataclass(slots=True)
class OsmElement:
    """One OSM node, way or relation with its metadata."""

    osm_type: Literal["n", "w", "r"]
    osm_id: int
    version: int
    timestamp: str
    user: str
    uid: int
    changeset: int
    tags: dict[str, str]
    position: tuple[float, float] | None = None  # nodes
    node_ids: list[int] = field(default_factory=list)  # ways, closed when first == last
    members: list[tuple[str, int, str]] = field(default_factory=list)  # relations: (type, id, role)

    @property
    def key(self) -> str:
        return f"{self.osm_type}{self.osm_id}"


@dataclass(slots=True)
class Snapshot:
    """Both sides at one moment: city records by id, OSM elements by key ("n12")."""

    city: dict[str, CityRecord] = field(default_factory=dict)
    osm: dict[str, OsmElement] = field(default_factory=dict)

    def copy(self) -> Snapshot:
        """An independent copy, to be edited into the next state (geometry tuples are immutable, shared)."""
        city = {key: dataclasses.replace(record, fields=dict(record.fields)) for key, record in self.city.items()}
        osm = {key: dataclasses.replace(element, tags=dict(element.tags), node_ids=list(element.node_ids),
                                        members=list(element.members))
               for key, element in self.osm.items()}
        return Snapshot(city, osm)

    def add(self, element: OsmElement) -> OsmElement:
        self.osm[element.key] = element
        return element
