"""OSM reading: local extracts (osmium, Overpass JSON, overpass-turbo GeoJSON) and Overpass -> OsmPlace."""

from osmbridge.osm.files import read_osm_file
from osmbridge.osm.overpass_client import fetch_overpass
from osmbridge.osm.overpass_query import build_overpass_query

__all__ = ["build_overpass_query", "fetch_overpass", "read_osm_file"]
