"""What the latest run of a dataset saw of a few places: for the review page, beside the difference."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.store.tables import CitySnapshotRow, DatasetRunRow, OsmSnapshotRow


@dataclass(frozen=True, slots=True)
class SeenCityRecord:
    source_id: str
    fields: Mapping[str, Any]  # the raw record
    tags: Mapping[str, str]  # as the mapping turned it into OSM tags
    lon: float | None
    lat: float | None


@dataclass(frozen=True, slots=True)
class SeenOsmPlace:
    osm_key: str
    version: int
    tags: Mapping[str, str]
    lon: float
    lat: float


def latest_places(engine: Engine, dataset: str, source_ids: Iterable[str],
                  osm_keys: Iterable[str]) -> tuple[dict[str, SeenCityRecord], dict[str, SeenOsmPlace]]:
    """The city records and OSM places of the dataset's latest successful run, by id (absent ones left out)."""
    source_ids, osm_keys = sorted(set(source_ids)), sorted(set(osm_keys))
    with Session(engine) as session:
        last = session.scalars(select(DatasetRunRow.id).where(DatasetRunRow.dataset == dataset,
                                                              DatasetRunRow.status == "ok")
                               .order_by(DatasetRunRow.id.desc()).limit(1)).first()
        if last is None:
            return {}, {}
        city = {}
        if source_ids:
            for row in session.scalars(select(CitySnapshotRow).where(CitySnapshotRow.dataset_run_id == last,
                                                                     CitySnapshotRow.source_id.in_(source_ids))):
                lon, lat = _point(row.geometry_wkt)
                city[row.source_id] = SeenCityRecord(row.source_id, dict(row.fields), dict(row.tags), lon, lat)
        osm = {}
        if osm_keys:
            for place in session.scalars(select(OsmSnapshotRow).where(OsmSnapshotRow.dataset_run_id == last,
                                                                      OsmSnapshotRow.osm_key.in_(osm_keys))):
                osm[place.osm_key] = SeenOsmPlace(place.osm_key, place.version, dict(place.tags), place.lon, place.lat)
    return city, osm


def _point(text: str) -> tuple[float | None, float | None]:
    try:
        geometry = wkt.loads(text)
    except (ShapelyError, ValueError):
        return None, None
    if geometry.is_empty:
        return None, None
    point = geometry if isinstance(geometry, Point) else geometry.representative_point()
    return float(point.x), float(point.y)
