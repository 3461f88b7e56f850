"""OSM reading -> OsmPlace: local extracts (osmium formats, Overpass XML/JSON answers, overpass-turbo
GeoJSON) and a live Overpass server (QL generated from the mappings' tag filters, sent with overpy)."""

from osmbridge.osm.files import read_osm_file
from osmbridge.osm.overpass_client import fetch_overpass
from osmbridge.osm.overpass_query import build_overpass_query

__all__ = ["build_overpass_query", "fetch_overpass", "read_osm_file"]
