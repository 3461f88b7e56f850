"""Accepted OSM -> city corrections, and a ledger for them."""

from __future__ import annotations

from osmbridge.model import Decision, Difference
from push.push_fixtures import DATASET, DECIDED_AT

ATTRIBUTION = "Ville de Test — © OpenStreetMap contributors"


def correction_item(record: str, city_field: str, tag: str, city_value: str | None, osm_value: str | None,
                    osm_key: str, version: int = 1, *, edited: str | None = None,
                    kind: str = "differs") -> tuple[Difference, Decision]:
    """An accepted to_city item: OSM's value for `tag` goes into the city's column `city_field`."""
    difference = Difference(
        id=f"{record}-{city_field}", dataset=DATASET, kind=kind, source_id=record, osm_key=osm_key, field=tag,  # type: ignore[arg-type]
        city_value=city_value, osm_value=osm_value, changed_side="osm", proposal="to_city", lon=-1.55, lat=47.21,
        osm_version=version, city_field=city_field)
    decision = Decision(difference_id=difference.id, dataset=DATASET, state="edited" if edited else "accepted",
                        direction="to_city", value=edited if edited else osm_value, author="bruno",
                        decided_at=DECIDED_AT, seen_city_value=city_value, seen_osm_value=osm_value,
                        seen_osm_version=version)
    return difference, decision
