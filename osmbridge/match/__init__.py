"""Conflation engine: links city features to OSM places, explaining each link."""

from osmbridge.match.engine import match_places
from osmbridge.match.fingerprint import city_fingerprint, osm_fingerprint
from osmbridge.match.names import name_similarity, normalize_name
from osmbridge.match.rules import MatchRules

__all__ = ["MatchRules", "match_places", "city_fingerprint", "osm_fingerprint", "name_similarity", "normalize_name"]
