"""Links from an item page to where people check and fix a place: openstreetmap.org, iD, JOSM, the city."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from osmbridge.model import Difference, Producer
from osmbridge.report.links import OSM_WEBSITE, josm_load_url, josm_zoom_url, osm_url, record_page_url, split_osm_key


@dataclass(frozen=True, slots=True)
class PlaceLinks:
    osm: str | None
    history: str | None
    id_editor: str | None
    josm: str | None
    city: str | None


def place_links(difference: Difference, city_url_template: str | None,
                producers: Sequence[Producer] = ()) -> PlaceLinks:
    """The links of the place a difference is about (None where there is nothing to link to); with several
    producers, the city record's link is its producer's."""
    key = difference.osm_key
    at = f"map=19/{difference.lat:.6f}/{difference.lon:.6f}"
    if key:
        kind, number = split_osm_key(key)
        object_url = osm_url(key)
        id_editor = f"{OSM_WEBSITE}/edit?editor=id&{kind}={number}#{at}"
        josm = josm_load_url(key)
    else:
        object_url, id_editor = None, f"{OSM_WEBSITE}/edit?editor=id#{at}"
        josm = josm_zoom_url(difference.lon, difference.lat)
    return PlaceLinks(osm=object_url, history=f"{object_url}/history" if object_url else None, id_editor=id_editor,
                      josm=josm, city=record_page_url(city_url_template, difference.source_id, producers))
