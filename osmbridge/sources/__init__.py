"""City open-data sources (CSV, GeoJSON/JSON files, Opendatasoft portals) read as CityPlace records."""

from osmbridge.sources.read import read_city_places

__all__ = ["read_city_places"]
