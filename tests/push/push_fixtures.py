"""Accepted items as the review store hands them to the push stage, and a ledger standing in for it.

`FileLedger` keeps its marks in a JSON file so that a push killed in a subprocess and started again
sees what the first one recorded, as the real store would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from osmbridge.model import Decision, Difference, Direction
from osmbridge.push.changesets import ChangesetOptions

DATASET = "test-city"
DECIDED_AT = "2024-04-30T10:00:00+00:00"


def tag_item(osm_key: str, key: str, city_value: str | None, osm_value: str | None, version: int, *,
             kind: str = "differs", edited: str | None = None, lon: float = -1.55, lat: float = 47.21,
             source_id: str = "S1", diff_id: str | None = None) -> tuple[Difference, Decision]:
    """An accepted tag difference on an existing element (edited: the reviewer typed another value)."""
    difference = Difference(
        id=diff_id or f"{osm_key}-{key}", dataset=DATASET, kind=kind, source_id=source_id, osm_key=osm_key,  # type: ignore[arg-type]
        field=key, city_value=city_value, osm_value=osm_value, changed_side="city", proposal="to_osm",
        lon=lon, lat=lat, osm_version=version, city_field=key)
    return difference, _decision(difference, "to_osm", edited if edited is not None else city_value, edited is not None)


def lifecycle_item(osm_key: str, main: str, value: str, version: int, *, lon: float = -1.55,
                   lat: float = 47.21) -> tuple[Difference, Decision]:
    """An accepted lifecycle difference: the city closed the place, OSM still has `main=value`."""
    difference = Difference(
        id=f"{osm_key}-lifecycle", dataset=DATASET, kind="lifecycle", source_id="S-closed", osm_key=osm_key,
        field=main, city_value=f"disused:{main}={value}", osm_value=f"{main}={value}", changed_side="city",
        proposal="to_osm", lon=lon, lat=lat, osm_version=version)
    return difference, _decision(difference, "to_osm", difference.city_value, False)


def creation_item(source_id: str, tags: dict[str, str], lon: float, lat: float) -> tuple[Difference, Decision]:
    """An accepted place missing in OSM: create it with the city's tags."""
    rendered = "\n".join(f"{k}={v}" for k, v in sorted(tags.items()))
    difference = Difference(
        id=f"create-{source_id}", dataset=DATASET, kind="missing_in_osm", source_id=source_id, osm_key=None,
        field=None, city_value=rendered, osm_value=None, changed_side="city", proposal="to_osm", lon=lon, lat=lat,
        name=tags.get("name"))
    return difference, _decision(difference, "to_osm", rendered, False)


def _decision(difference: Difference, direction: Direction, value: str | None, edited: bool) -> Decision:
    return Decision(difference_id=difference.id, dataset=difference.dataset, state="edited" if edited else "accepted",
                    direction=direction, value=value, author="anne", decided_at=DECIDED_AT,
                    seen_city_value=difference.city_value, seen_osm_value=difference.osm_value,
                    seen_osm_version=difference.osm_version)


def options(**changes: object) -> ChangesetOptions:
    values: dict[str, object] = dict(comment="Update public facilities from the city's open data",
                                     source="Test City open data", licence="ODbL-1.0", hashtags="#osmbridge",
                                     import_page="https://wiki.openstreetmap.org/wiki/Import/Test_City")
    values.update(changes)
    return ChangesetOptions(**values)  # type: ignore[arg-type]


@dataclass
class MemoryLedger:
    """The review store's push side, in memory: accepted items, and what the push marked."""

    items: list[tuple[Difference, Decision]]
    pushed: dict[str, str] = field(default_factory=dict)  # difference id -> ref
    stale: dict[str, str] = field(default_factory=dict)  # difference id -> reason

    def accepted_items(self, dataset: str, direction: Direction) -> list[tuple[Difference, Decision]]:
        return [(d, dec) for d, dec in self.items if dec.direction == direction
                and d.id not in self.pushed and d.id not in self.stale]

    def mark_pushed(self, item_ids: Iterable[str], ref: str, *, now: str | None = None) -> None:
        for item_id in item_ids:
            assert item_id not in self.pushed and item_id not in self.stale, f"{item_id} marked twice"
            self.pushed[item_id] = ref

    def mark_stale(self, item_id: str, reason: str, *, now: str | None = None) -> None:
        assert item_id not in self.pushed and item_id not in self.stale, f"{item_id} marked twice"
        self.stale[item_id] = reason


class FileLedger(MemoryLedger):
    """A MemoryLedger saved to a JSON file after every mark."""

    def __init__(self, items: Sequence[tuple[Difference, Decision]], path: Path) -> None:
        saved = json.loads(path.read_text()) if path.exists() else {"pushed": {}, "stale": {}}
        super().__init__(list(items), saved["pushed"], saved["stale"])
        self.path = path

    def _save(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"pushed": self.pushed, "stale": self.stale}))
        os.replace(temporary, self.path)

    def mark_pushed(self, item_ids: Iterable[str], ref: str, *, now: str | None = None) -> None:
        super().mark_pushed(item_ids, ref, now=now)
        self._save()

    def mark_stale(self, item_id: str, reason: str, *, now: str | None = None) -> None:
        super().mark_stale(item_id, reason, now=now)
        self._save()


# --- a small town in the emulator, and what reviewers accepted there ---------------------------------

def populate_town(api: object) -> None:
    """Nodes, a school building (way) and a park (multipolygon relation), each at version 1."""
    add_node, add_way, add_relation = api.add_node, api.add_way, api.add_relation  # type: ignore[attr-defined]
    add_node(1, 47.2100, -1.5500, {"amenity": "library", "name": "Médiathèque Jacques Demy",
                                   "phone": "+33 2 40 00 00 00"})
    add_node(2, 47.2110, -1.5510, {"amenity": "townhall", "name": "Mairie annexe", "phone": "+33 2 40 11 11 12"})
    add_node(3, 47.2120, -1.5520, {"amenity": "community_centre", "name": "Maison de quartier"})
    for number, (lat, lon) in enumerate([(47.2150, -1.5550), (47.2150, -1.5540), (47.2140, -1.5540),
                                         (47.2140, -1.5550)], start=10):
        add_node(number, lat, lon)
    add_way(100, [10, 11, 12, 13, 10], {"building": "school", "amenity": "school", "name": "École Jean Zay"})
    for number, (lat, lon) in enumerate([(47.2200, -1.5600), (47.2200, -1.5580), (47.2180, -1.5580),
                                         (47.2180, -1.5600)], start=20):
        add_node(number, lat, lon)
    add_way(201, [20, 21, 22, 23, 20])
    add_relation(200, [("w", 201, "outer")], {"type": "multipolygon", "leisure": "park", "name": "Parc de Procé"})


CREATED_TAGS = {"amenity": "library", "name": "Bibliothèque du Breil", "ref:FR:NM": "9"}


def town_items() -> list[tuple[Difference, Decision]]:
    """One accepted item of each kind: node, way and relation tags, a closing, a creation."""
    return [
        tag_item("n1", "phone", "+33 2 40 41 95 95", "+33 2 40 00 00 00", 1, lon=-1.55, lat=47.21),
        tag_item("n2", "opening_hours", "Mo-Fr 09:00-17:00", None, 1, kind="only_city", lon=-1.551, lat=47.211),
        tag_item("w100", "name", "École élémentaire Jean Zay", "École Jean Zay", 1, lon=-1.5545, lat=47.2145),
        tag_item("r200", "website", "https://parcs.example.org/proce", None, 1, kind="only_city",
                 lon=-1.559, lat=47.219),
        lifecycle_item("n3", "amenity", "community_centre", 1, lon=-1.552, lat=47.212),
        creation_item("S9", CREATED_TAGS, -1.5610, 47.2210),
    ]


EXPECTED_TAGS = {
    "n1": {"amenity": "library", "name": "Médiathèque Jacques Demy", "phone": "+33 2 40 41 95 95"},
    "n2": {"amenity": "townhall", "name": "Mairie annexe", "phone": "+33 2 40 11 11 12",
           "opening_hours": "Mo-Fr 09:00-17:00"},
    "n3": {"disused:amenity": "community_centre", "name": "Maison de quartier"},
    "w100": {"building": "school", "amenity": "school", "name": "École élémentaire Jean Zay"},
    "r200": {"type": "multipolygon", "leisure": "park", "name": "Parc de Procé",
             "website": "https://parcs.example.org/proce"},
}
