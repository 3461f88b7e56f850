"""Checking a dataset's positions against its area: a few records outside are left out, most outside stop.

Swapped coordinates, a wrong crs or a bbox written in the wrong order all give positions that are valid
degrees, only in the wrong place: each would propose hundreds of new OSM nodes there. The area is the
config's bbox, or, without one, the extent of the OSM data read for the dataset (with a wide margin).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from osmbridge.errors import ConfigError, SourceError
from osmbridge.model import CityFeature, CityPlace, SkippedRecord

Bbox = tuple[float, float, float, float]  # south, west, north, east (WGS84)
MOST_OUTSIDE = 0.5  # above this share of records outside the area, the source is wrong, not the records
# Margin around the OSM extent: the OSM places of a kind need not reach the edges of the area.
_EXTENT_MARGIN_DEG = 0.25
_EXTENT_MARGIN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class DatasetArea:
    """The box a dataset's records must lie in, and what it is, for messages."""

    bbox: Bbox
    description: str  # "the area of dataset x (bbox [...])"
    config_file: Path | str | None = None  # the file and key where the bbox is written, when it is
    config_key: str | None = None

    @classmethod
    def from_config(cls, bbox: Bbox, dataset: str, config_file: Path | str) -> DatasetArea:
        """The bbox of [datasets.<dataset>.area] in `config_file`."""
        key = f"datasets.{dataset}.area.bbox"
        return cls(bbox, f"the area of dataset {dataset} ({key} = {_show(bbox)})", config_file, key)

    @classmethod
    def from_osm_extent(cls, geometries: Iterable[BaseGeometry], dataset: str) -> DatasetArea | None:
        """The extent of the OSM places read for a dataset, widened; None when there are none."""
        points = [shapely.get_coordinates(g) for g in geometries if not g.is_empty]
        if not points:
            return None
        coords = np.concatenate(points)
        west, south = coords.min(axis=0)
        east, north = coords.max(axis=0)
        pad_lat = max(_EXTENT_MARGIN_DEG, (north - south) * _EXTENT_MARGIN_SHARE)
        pad_lon = max(_EXTENT_MARGIN_DEG, (east - west) * _EXTENT_MARGIN_SHARE)
        bbox = (max(-90.0, float(south - pad_lat)), max(-180.0, float(west - pad_lon)),
                min(90.0, float(north + pad_lat)), min(180.0, float(east + pad_lon)))
        return cls(bbox, f"the extent of the OSM data read for dataset {dataset} ({_show(bbox)}; the config "
                         "gives no area bbox)")


def check_area(places: Sequence[CityPlace], area: DatasetArea, *, crs: str
               ) -> tuple[list[CityPlace], list[SkippedRecord]]:
    """Return (the places inside the area, those outside as SkippedRecords saying why).

    When most places lie outside, the source or the config is wrong: SourceError (or ConfigError for a
    bbox written [west, south, east, north]) naming the likely cause instead of leaving most out.
    """
    shape = _box(area.bbox)
    inside = [place for place in places if shape.intersects(place.geometry)]
    if len(inside) == len(places):
        return list(places), []
    keep = {id(place) for place in inside}
    outside = [place for place in places if id(place) not in keep]
    if len(outside) > MOST_OUTSIDE * len(places):
        raise _most_outside(places, outside, area, crs)
    return inside, [SkippedRecord(place.origin, None, _outside_reason(place, area)) for place in outside]


def features_inside(features: Sequence[CityFeature], area: DatasetArea | None, *, crs: str
                    ) -> tuple[list[CityFeature], list[SkippedRecord]]:
    """The features whose place lies in `area` (all when None), and the others as skipped records."""
    if area is None:
        return list(features), []
    inside, outside = check_area([f.place for f in features], area, crs=crs)
    kept = {id(place) for place in inside}
    return [f for f in features if id(f.place) in kept], outside


def _most_outside(places: Sequence[CityPlace], outside: Sequence[CityPlace], area: DatasetArea,
                  crs: str) -> SourceError | ConfigError:
    """The error for a source whose records mostly lie outside its area, naming the likely cause."""
    shape = _box(area.bbox)
    example = outside[0]
    share = f"{len(outside)} of the {len(places)} records lie outside {area.description}"
    swapped = sum(shape.intersects(_swap(place.geometry)) for place in outside)
    fix_source = ("swap lat_field and lon_field in the source spec, or fix the export (GeoJSON coordinates are "
                  "[longitude, latitude]; [lat, lon] pairs are read in the order that falls inside the area bbox)")
    if swapped > len(outside) / 2:
        if area.config_file is not None and area.config_key is not None:
            # Points inside a bbox read as [west, south, east, north] are exactly the swapped points inside
            # it as written: the data cannot tell which of the two is wrong, so the message says both.
            south, west, north, east = area.bbox
            return ConfigError(area.config_file, area.config_key,
                               f"{share}, and {swapped} of them would lie inside if the bbox were written [west, "
                               f"south, east, north] or if their latitude and longitude were swapped (e.g. "
                               f"{example.origin} at {_where(example.geometry)}). If the bbox is wrong, write it "
                               f"[south, west, north, east]: {_show((west, south, east, north))}; if the records "
                               f"are, {fix_source}")
        return SourceError(f"{share}, and {swapped} of them would lie inside with latitude and longitude swapped "
                           f"(e.g. {example.origin} at {_where(example.geometry)}): the source gives its "
                           f"coordinates the other way round. To fix it, {fix_source}.")
    centre = _centre(outside)
    distance_km = _distance_km(centre, shape)
    crs_hint = (f"the crs of the source spec ({crs!r}; the coordinates may be in another system)"
                if crs.upper() != "EPSG:4326" else
                "the crs of the source spec (the coordinates may not be WGS84 degrees)")
    area_hint = (f"{area.config_key} in {area.config_file}" if area.config_file
                 else "that the OSM data read is the right one")
    return SourceError(f"{share}: they lie around lat {centre.y:.4f}, lon {centre.x:.4f}, {distance_km:,.0f} km "
                       f"away (e.g. {example.origin}). Check {crs_hint}, and {area_hint}.")


def _outside_reason(place: CityPlace, area: DatasetArea) -> str:
    reason = (f"lies outside {area.description}, at {_where(place.geometry)}; left out, as OSM is compared only "
              "inside the area")
    if _box(area.bbox).intersects(_swap(place.geometry)):
        reason += "; with latitude and longitude swapped it would lie inside: check the record's coordinates"
    return reason


def _box(bbox: Bbox) -> BaseGeometry:
    south, west, north, east = bbox
    return box(west, south, east, north)


def _swap(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda coords: coords[:, ::-1])


def _centre(places: Sequence[CityPlace]) -> shapely.Point:
    points = [place.geometry.representative_point() for place in places]
    return shapely.Point(median(p.x for p in points), median(p.y for p in points))


def _distance_km(point: shapely.Point, shape: BaseGeometry) -> float:
    nearest = shape.boundary.interpolate(shape.boundary.project(point))
    from pyproj import Geod  # only to word an error: not loaded at start-up

    _, _, metres = Geod(ellps="WGS84").inv(point.x, point.y, nearest.x, nearest.y)
    return float(metres) / 1000


def _where(geometry: BaseGeometry) -> str:
    point = geometry.representative_point()
    return f"lat {point.y:.6g}, lon {point.x:.6g}"


def _show(bbox: Bbox) -> str:
    return "[" + ", ".join(f"{value:g}" for value in bbox) + "]"
