"""Links from a report row to the tools people already use: openstreetmap.org, iD, JOSM, the city portal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode

from osmbridge.model import PRODUCER_ID_SEPARATOR, Producer, record_id_of

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


def note_url(note_id: int) -> str:
    """Return the openstreetmap.org page of an OSM note."""
    return f"{OSM_WEBSITE}/note/{int(note_id)}"


def city_url(template: str | None, source_id: str | None) -> str | None:
    """Return the city's page for a record from a template holding {id}, or None."""
    if not template or not source_id:
        return None
    return template.replace("{id}", quote(source_id, safe=""))


def record_page_url(template: str | None, source_id: str | None, producers: Sequence[Producer] = ()) -> str | None:
    """Return a city record's page: with several producers, on its producer's portal under its own id."""
    for producer in producers:
        if source_id and source_id.startswith(producer.name + PRODUCER_ID_SEPARATOR):
            return city_url(producer.city_url_template, record_id_of(source_id, producer.name))
    return city_url(template, source_id)


def review_url(template: str | None, difference_id: str) -> str | None:
    """Return the review server's page of a difference (from [web] public_url), or None without a server."""
    if not template:
        return None
    return template.replace("{id}", quote(difference_id, safe=""))


def _addtags(tags: Mapping[str, str]) -> str:
    # JOSM reads key=value pairs separated by "|"; name and the main tag first, as a mapper reads them.
    return "|".join(f"{key}={value}" for key, value in tags.items())


def josm_load_url(osm_key: str | Sequence[str] | None, add_tags: Mapping[str, str] | None = None) -> str | None:
    """Return a JOSM remote-control link loading the object(s), optionally pre-filling tag changes.

    JOSM shows `addtags` in a dialog for the mapper to accept, so nothing is changed unseen; an
    empty value there removes the tag. Several keys load every object involved (candidates, twins).
    """
    keys = [osm_key] if isinstance(osm_key, str) else list(osm_key or ())
    if not keys:
        return None
    params = {"objects": ",".join(keys), "new_layer": "false", "relation_members": "true"}
    if add_tags:
        params["addtags"] = _addtags(dict(sorted(add_tags.items())))
    return f"{JOSM_REMOTE}/load_object?{urlencode(params, quote_via=quote)}"


def josm_add_node_url(lon: float, lat: float, tags: Mapping[str, str]) -> str:
    """Return a JOSM remote-control link that adds a node with these tags at a point (JOSM asks first)."""
    params = {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}", "addtags": _addtags(tags)}
    return f"{JOSM_REMOTE}/add_node?{urlencode(params, quote_via=quote)}"


def id_editor_url(osm_keys: Sequence[str], lon: float | None = None, lat: float | None = None) -> str | None:
    """Return an openstreetmap.org link opening iD on the objects (all selected), or at a point."""
    hash_params = []
    if osm_keys:
        hash_params.append(f"id={','.join(osm_keys)}")
    if lon is not None and lat is not None:
        hash_params.append(f"map=19/{lat:.6f}/{lon:.6f}")
    if not hash_params:
        return None
    return f"{OSM_WEBSITE}/edit?editor=id#{'&'.join(hash_params)}"


def josm_zoom_url(lon: float, lat: float, margin_deg: float = 0.0008) -> str:
    """Return a JOSM remote-control link downloading the area around a point."""
    params = {
        "left": f"{lon - margin_deg:.6f}",
        "right": f"{lon + margin_deg:.6f}",
        "bottom": f"{lat - margin_deg:.6f}",
        "top": f"{lat + margin_deg:.6f}",
    }
    return f"{JOSM_REMOTE}/load_and_zoom?{urlencode(params)}"
