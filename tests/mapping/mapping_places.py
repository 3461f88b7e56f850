"""Hand-made city places for the mapping tests."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point

from osmbridge.model import CityPlace


def make_place(source_id: str, **fields: Any) -> CityPlace:
    """Return a CityPlace at (0, 0) with `fields` (a dotted or spaced name via a dict: **{"geo.name": ...})."""
    return CityPlace(dataset="test", source_id=source_id, geometry=Point(-1.55, 47.21), fields=fields,
                     licence="ODbL-1.0", origin=f"test.csv:{source_id}")
