"""Read neighbourhoods: a city's GeoJSON of polygons, or OSM admin boundaries of one admin_level."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from pyproj.exceptions import CRSError
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.validation import make_valid

from osmbridge.errors import OsmSourceError, SourceError
from osmbridge.model import TagFilter
from osmbridge.party.model import Neighbourhood

# Property names cities use for a neighbourhood's name, tried in order when none is given.
NAME_CANDIDATES = ("name", "nom", "NOM", "Name", "NAME", "libelle", "LIBELLE", "nom_quartier", "l_qu", "label")


def _polygonal(geometry: Any) -> Polygon | MultiPolygon | None:
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return None if geometry.is_empty else geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    if not parts:
        return None
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _legacy_crs(path: Path, data: dict[str, Any]) -> Transformer | None:
    # RFC 7946 GeoJSON is WGS84, but many city exports still carry the old "crs" member (Lambert 93...).
    name = (data.get("crs") or {}).get("properties", {}).get("name")
    if not name or re.search(r"(CRS84|4326)$", str(name)):
        return None
    try:
        return Transformer.from_crs(str(name), "EPSG:4326", always_xy=True)
    except CRSError as error:
        raise SourceError(f"{path}: key 'crs': unknown coordinate system {name!r} ({error}). "
                          "Export the file in WGS84 (EPSG:4326).") from error


def _name_key(path: Path, features: list[dict[str, Any]], name_property: str | None) -> str:
    if name_property:
        return name_property
    for candidate in NAME_CANDIDATES:
        if any(candidate in (f.get("properties") or {}) for f in features):
            return candidate
    found = sorted({k for f in features for k in (f.get("properties") or {})})
    raise SourceError(f"{path}: no name property among {list(NAME_CANDIDATES)} (the features have {found}). "
                      "Say which property holds the neighbourhood name (name_property).")


def _from_geojson(path: Path, data: dict[str, Any], name_property: str | None,
                  admin_level: str | None) -> list[Neighbourhood]:
    features = data.get("features")
    if not isinstance(features, list):
        raise SourceError(f"{path}: not a GeoJSON FeatureCollection (no 'features' list).")
    if admin_level is not None:
        # An overpass-turbo export of boundaries carries the tags as properties.
        features = [f for f in features if str((f.get("properties") or {}).get("admin_level")) == admin_level]
        if not features:
            raise SourceError(f"{path}: no feature with admin_level={admin_level}.")
    reproject = _legacy_crs(path, data)
    key = _name_key(path, features, name_property)
    result = []
    for index, feature in enumerate(features, start=1):
        where = f"{path}#feature {index}"
        properties = feature.get("properties") or {}
        name = properties.get(key)
        if name in (None, ""):
            raise SourceError(f"{where}: field {key!r}: no neighbourhood name. Fill it in, or choose another "
                              "name property.")
        try:
            geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, GEOSException) as error:
            raise SourceError(f"{where}: field 'geometry': unreadable geometry ({error}).") from error
        if geometry is not None and reproject is not None:
            geometry = shapely.transform(geometry, reproject.transform,  # type: ignore[arg-type]
                                         interleaved=False)
        polygon = _polygonal(geometry) if geometry is not None else None
        if polygon is None:
            kind = geometry.geom_type if geometry is not None else "no geometry"
            raise SourceError(f"{where}: field 'geometry': {kind}, but a neighbourhood must be a Polygon or "
                              "MultiPolygon. Remove the feature or fix its shape.")
        ref = str(feature.get("id", properties.get("id", index)))
        result.append(Neighbourhood(name=str(name), geometry=polygon, ref=ref))
    return result


def _from_osm(path: Path, name_property: str | None, admin_level: str | None) -> list[Neighbourhood]:
    from osmbridge.osm import read_osm_file

    places = read_osm_file(path, [TagFilter("boundary", "administrative")])
    boundaries = [p for p in places if p.tags.get("boundary") == "administrative"
                  and isinstance(p.geometry, (Polygon, MultiPolygon))]
    levels = sorted({p.tags.get("admin_level", "") for p in boundaries} - {""}, key=lambda v: (len(v), v))
    # Boundaries cut by an extract's edge have open rings and never become areas.
    cut_hint = ("Boundaries cut by an extract's edge cannot be closed: export whole relations "
                "(osmium extract --strategy smart, or Overpass `rel[boundary=administrative];(._;>;);out;`).")
    if not levels:
        raise OsmSourceError(f"{path}: no closed boundary=administrative area with an admin_level. {cut_hint}")
    if admin_level is None:
        # The finest level is the one closest to neighbourhoods (10 = quartier in France).
        admin_level = levels[-1]
    chosen = [p for p in boundaries if p.tags.get("admin_level") == str(admin_level)]
    if not chosen:
        raise OsmSourceError(f"{path}: no closed boundary=administrative area with admin_level={admin_level} "
                             f"(levels present: {levels}). Choose one of those levels, or: {cut_hint}")
    key = name_property or "name"
    return [Neighbourhood(name=p.tags.get(key) or p.tags.get("name") or p.key, geometry=p.geometry, ref=p.key)
            for p in chosen]


def load_neighbourhoods(
    path: Path, name_property: str | None = None, *, admin_level: str | int | None = None
) -> list[Neighbourhood]:
    """Return the neighbourhoods of a GeoJSON file, or the admin boundaries of an OSM file, sorted by name.

    A GeoJSON FeatureCollection is the city's own list (polygons; the name from `name_property` or a
    usual name property). An .osm/.pbf file or Overpass JSON gives boundary=administrative areas of
    `admin_level` (default: the finest level present), named by their `name` tag.
    """
    path = Path(path)
    level = None if admin_level is None else str(admin_level)
    data = None
    if path.suffix.lower() in (".geojson", ".json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise SourceError(f"{path}: cannot read the neighbourhoods file ({error.strerror}).") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise SourceError(f"{path}: invalid JSON ({error}). Export the neighbourhoods again.") from error
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        areas = _from_geojson(path, data, name_property, level)
    else:
        areas = _from_osm(path, name_property, level)
    if not areas:
        raise SourceError(f"{path}: no neighbourhood found.")
    return sorted(areas, key=lambda n: (n.name, n.ref))
