"""Links from a report row to the tools people already use: openstreetmap.org, JOSM, the city portal."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

OSM_TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}
OSM_WEBSITE = "https://www.openstreetmap.org"
# JOSM's remote control listens on this port on the mapper's own machine.
JOSM_REMOTE = "http://127.0.0.1:8111"


def split_osm_key(osm_key: str) -> tuple[str, int]:
    """Return ("node" | "way" | "relation", id) for a key like n123 / w45 / r6."""
    kind = OSM_TYPE_NAMES.get(osm_key[:1])
    if kind is None or not osm_key[1:].lstrip("-").isdigit():
        raise ValueError(f"not an OSM key: {osm_key!r} (expected n123, w45 or r6)")
    return kind, int(osm_key[1:])


def osm_url(osm_key: str | None) -> str | None:
    """Return the openstreetmap.org page of an object, or None without a key."""
    if not osm_key:
        return None
    kind, number = split_osm_key(osm_key)
    return f"{OSM_WEBSITE}/{kind}/{number}"


def city_url(template: str | None, source_id: str | None) -> str | None:
    """Return the city's page for a record from a template holding {id}, or None."""
    if not template or not source_id:
        return None
    return template.replace("{id}", quote(source_id, safe=""))


def review_url(template: str | None, difference_id: str) -> str | None:
    """Return the review server's page of a difference (from [web] public_url), or None without a server."""
    if not template:
        return None
    return template.replace("{id}", quote(difference_id, safe=""))


def josm_load_url(osm_key: str | None, add_tags: Mapping[str, str] | None = None) -> str | None:
    """Return a JOSM remote-control link loading the object, optionally pre-filling tag changes.

    JOSM shows `addtags` in a dialog for the mapper to accept, so nothing is changed unseen; an
    empty value there removes the tag.
    """
    if not osm_key:
        return None
    params = {"objects": osm_key, "new_layer": "false", "relation_members": "true"}
    if add_tags:
        params["addtags"] = "|".join(f"{key}={value}" for key, value in sorted(add_tags.items()))
    return f"{JOSM_REMOTE}/load_object?{urlencode(params, quote_via=quote)}"


def josm_zoom_url(lon: float, lat: float, margin_deg: float = 0.0008) -> str:
    """Return a JOSM remote-control link downloading the area around a point."""
    params = {
        "left": f"{lon - margin_deg:.6f}",
        "right": f"{lon + margin_deg:.6f}",
        "bottom": f"{lat - margin_deg:.6f}",
        "top": f"{lat + margin_deg:.6f}",
    }
    return f"{JOSM_REMOTE}/load_and_zoom?{urlencode(params)}"
