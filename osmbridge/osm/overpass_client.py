"""Run the generated query on an Overpass server (polite HTTP: overpass_http) and read the answer with overpy."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import overpy
import overpy.exception

from osmbridge import __version__
from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import RawElement, RawMember, inline_coords, places_from_elements
from osmbridge.osm.overpass_http import Politeness, post_query
from osmbridge.osm.overpass_query import OutputMode, build_overpass_query
from osmbridge.osm.selection import unique_places
from osmbridge.redact import redact

log = logging.getLogger(__name__)

# Extra seconds to wait for the answer beyond the server-side [timeout:], for the transfer.
_TRANSFER_GRACE_S = 60
# Overpass's error page: <p><strong style="color:#FF0000">Error</strong>: ...</p>
_ERROR_LINE = re.compile(r"<p><strong[^>]*>Error</strong>: (.*?)</p>", re.S)


def _socket_timeout_s(timeout_s: float) -> float:
    return timeout_s + min(_TRANSFER_GRACE_S, timeout_s)


def default_user_agent(contact: str | None = None) -> str:
    """Return "osmbridge/<version> (+<project url>; contact: X)", as Overpass operators ask tools to identify."""
    try:
        urls = metadata.metadata("osmbridge").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    homepage = next((u.split(",", 1)[1].strip() for u in urls if "," in u), None)
    about = [f"+{homepage}"] if homepage else []
    about += [f"contact: {contact}"] if contact else []
    return f"osmbridge/{__version__}" + (f" ({'; '.join(about)})" if about else "")


def fetch_overpass(url: str, filters: Sequence[TagFilter], area: Area, *, timeout_s: int = 180,
                   retries: int = 4, backoff_s: float = 5.0, user_agent: str | None = None,
                   output: OutputMode = "geom", pause_s: float = 0.0, max_wait_s: float = 600.0,
                   contact: str | None = None) -> list[OsmPlace]:
    """Run the generated query on an Overpass server and return its places.

    The HTTP is polite (`overpass_http`): one query at a time per server, `pause_s` between queries,
    Retry-After and /api/status slots honoured, 429/5xx and timeouts retried `retries` times with
    jittered exponential backoff from `backoff_s`, a refused connection once, an unknown host never.
    Raises OsmSourceError with the URL (secrets hidden) and the last status, or at once when the
    server rejects the query itself.
    """
    query = build_overpass_query(filters, area, timeout_s=timeout_s, output=output)
    shown = redact(url)
    response = post_query(url, query, user_agent=user_agent or default_user_agent(contact),
                          read_timeout_s=_socket_timeout_s(timeout_s),
                          politeness=Politeness(retries=max(0, retries), backoff_s=backoff_s, pause_s=pause_s,
                                                max_wait_s=max_wait_s))
    if response.status_code == 400:
        # Overpass writes its messages as HTML (&quot;).
        detail = "; ".join(html.unescape(re.sub(r"<[^>]+>", "", found)).strip()
                           for found in _ERROR_LINE.findall(response.text))
        raise OsmSourceError(f"Overpass {shown} rejected the query (400 Bad Request): {detail or 'no detail'}. "
                             f"Query was:\n{query}")
    if response.status_code != 200:
        raise OsmSourceError(f"Overpass {shown}: unexpected answer HTTP {response.status_code}. "
                             "Check overpass_url (it should end in /api/interpreter).")
    return places_from_result(_parse(response.content, response.headers.get("Content-Type"), shown), filters,
                              origin=shown)


def _parse(body: bytes, content_type: str | None, shown: str) -> overpy.Result:
    """Read an answer with overpy, whose rule is that exactly these content types are Overpass answers."""
    api = overpy.Overpass()
    try:
        if content_type == "application/json":
            return api.parse_json(body)
        if content_type == "application/osm3s+xml":
            return api.parse_xml(body)
    except (overpy.exception.OverpassRuntimeError, overpy.exception.OverpassRuntimeRemark,
            overpy.exception.OverpassUnknownError) as error:
        raise OsmSourceError(f"Overpass {shown} stopped the query: {error.msg}. If it ran out of time or "
                             "memory, raise the timeout, or use a smaller area or a local extract.") from error
    except ValueError as error:  # a truncated or garbled body
        raise OsmSourceError(f"Overpass {shown}: unreadable answer ({error}). Try again later.") from error
    raise OsmSourceError(f"Overpass {shown}: answered with Content-Type {content_type!r}, not Overpass JSON. "
                         "Check overpass_url (it should end in /api/interpreter).")


def places_from_result(result: overpy.Result, filters: Sequence[TagFilter], origin: str) -> list[OsmPlace]:
    """Return the places of an overpy result (from `out geom` or `out center`).

    No spatial filter here: Overpass selected by area with the rule the extract reader uses
    (any part of the feature inside).
    """
    elements = [_node(n) for n in result.nodes] + [_way(w) for w in result.ways]
    elements += [_relation(r) for r in result.relations]
    places, skipped = places_from_elements(elements, filters)
    for reason, count in skipped.items():
        log.warning("Overpass %s: %d %s left out", origin, count, reason)
    return unique_places(places)


def _meta(element: overpy.Element) -> dict[str, Any]:
    attributes = element.attributes
    stamp = attributes.get("timestamp")
    return {
        "version": int(attributes.get("version") or 0),
        # overpy parses timestamps into naive UTC datetimes
        "timestamp": stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if stamp is not None else None,
        "tags": {str(k): str(v) for k, v in element.tags.items()},
    }


def _node(node: overpy.Node) -> RawElement:
    return RawElement(osm_type="n", osm_id=node.id, coords=((float(node.lon), float(node.lat)),), **_meta(node))


def _way(way: overpy.Way) -> RawElement:
    coords, complete = _points(way.attributes.get("geometry"))
    return RawElement(osm_type="w", osm_id=way.id, coords=coords, complete=complete, center=_center(way),
                      **_meta(way))


def _relation(relation: overpy.Relation) -> RawElement:
    members = []
    for member in relation.members or ():
        kind: OsmType = {"node": "n", "way": "w", "relation": "r"}.get(member._type_value, "r")  # type: ignore[assignment]
        coords: tuple[tuple[float, float], ...] | None
        if kind == "n" and member.attributes.get("lat") is not None:
            coords = ((float(member.attributes["lon"]), float(member.attributes["lat"])),)
        else:
            coords = _points(member.geometry)[0]
        members.append(RawMember(osm_type=kind, ref=member.ref, role=member.role or "", coords=coords))
    return RawElement(osm_type="r", osm_id=relation.id, members=tuple(members), center=_center(relation),
                      **_meta(relation))


def _points(points: list[Any] | None) -> tuple[tuple[tuple[float, float], ...] | None, bool]:
    """Return (lon, lat) pairs from overpy's way geometry (dicts) or member geometry (objects),
    and whether none was missing."""
    if not points:
        return None, False
    return inline_coords([_lon_lat(point) for point in points])


def _lon_lat(point: Any) -> tuple[float, float] | None:
    if point is None:
        return None  # clipped by a bbox
    lat, lon = (point.get("lat"), point.get("lon")) if isinstance(point, dict) else (point.lat, point.lon)
    return (float(lon), float(lat)) if lat is not None and lon is not None else None


def _center(element: overpy.Way | overpy.Relation) -> tuple[float, float] | None:
    if element.center_lat is None or element.center_lon is None:
        return None
    return float(element.center_lon), float(element.center_lat)
