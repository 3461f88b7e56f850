"""Run the generated query on an Overpass server with overpy: User-Agent, timeout, retries with backoff."""

from __future__ import annotations

import html
import http.client
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import overpy
import overpy.exception

from osmbridge import __version__
from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, OsmPlace, OsmType, TagFilter
from osmbridge.osm.elements import RawElement, RawMember, inline_coords, places_from_elements
from osmbridge.osm.overpass_query import OutputMode, build_overpass_query
from osmbridge.osm.selection import unique_places

log = logging.getLogger(__name__)

# HTTP statuses worth another try: rate limit, gateway timeout, and overloaded proxies.
_RETRY_STATUSES = {429, 500, 502, 503, 504}
# Extra seconds to wait for the answer beyond the server-side [timeout:], for the transfer.
_TRANSFER_GRACE_S = 60


def _socket_timeout_s(timeout_s: float) -> float:
    return timeout_s + min(_TRANSFER_GRACE_S, timeout_s)


def default_user_agent() -> str:
    """Return "osmbridge/<version> (+<project url>)", as Overpass operators ask tools to identify."""
    try:
        urls = metadata.metadata("osmbridge").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    homepage = next((u.split(",", 1)[1].strip() for u in urls if "," in u), None)
    return f"osmbridge/{__version__}" + (f" (+{homepage})" if homepage else "")


def fetch_overpass(url: str, filters: Sequence[TagFilter], area: Area, *, timeout_s: int = 180,
                   retries: int = 4, backoff_s: float = 5.0, user_agent: str | None = None,
                   output: OutputMode = "geom") -> list[OsmPlace]:
    """Run the generated query on an Overpass server with overpy and return its places.

    429 (too many requests), 5xx gateway errors and connection failures are retried `retries`
    times, waiting backoff_s, 2×, 4×... in between. Raises OsmSourceError with the URL and the
    last status when the server still refuses, or at once when it rejects the query itself.
    """
    query = build_overpass_query(filters, area, timeout_s=timeout_s, output=output)
    agent = user_agent or default_user_agent()
    retries = max(0, retries)
    last_status = "no attempt"
    for attempt in range(retries + 1):
        if attempt:
            delay_s = backoff_s * 2 ** (attempt - 1)
            log.info("Overpass %s: %s; retrying in %.1f s (%d/%d)", url, last_status, delay_s, attempt, retries)
            time.sleep(delay_s)
        api = overpy.Overpass(url=_request(url, agent, _socket_timeout_s(timeout_s)), max_retry_count=0)
        try:
            result = api.query(query)
        except overpy.exception.OverpassTooManyRequests:
            last_status = "429 Too Many Requests"
        except overpy.exception.OverpassGatewayTimeout:
            last_status = "504 Gateway Timeout"
        except overpy.exception.OverpassUnknownHTTPStatusCode as error:
            last_status = f"HTTP {error.code}"
            if error.code not in _RETRY_STATUSES:
                raise OsmSourceError(f"Overpass {url}: unexpected answer {last_status}. "
                                     "Check overpass_url (it should end in /api/interpreter).") from error
        except overpy.exception.OverpassBadRequest as error:
            # Overpass writes its messages as HTML (&quot;); overpy passes them on escaped.
            detail = "; ".join(html.unescape(m) for m in error.msgs) or "no detail"
            raise OsmSourceError(f"Overpass {url} rejected the query (400 Bad Request): {detail}. "
                                 f"Query was:\n{query}") from error
        except overpy.exception.OverpassUnknownContentType as error:
            raise OsmSourceError(f"Overpass {url}: answered with Content-Type {error.content_type!r}, not "
                                 "Overpass JSON. Check overpass_url (it should end in /api/interpreter).") from error
        except (overpy.exception.OverpassRuntimeError, overpy.exception.OverpassRuntimeRemark,
                overpy.exception.OverpassUnknownError) as error:
            raise OsmSourceError(f"Overpass {url} stopped the query: {error.msg}. If it ran out of time or "
                                 "memory, raise the timeout, or use a smaller area or a local extract.") from error
        except urllib.error.URLError as error:
            last_status = f"connection failed ({error.reason})"
        except (ConnectionError, TimeoutError, http.client.HTTPException) as error:
            last_status = f"connection failed ({type(error).__name__}: {error})"
        except ValueError as error:  # a truncated or garbled JSON body
            last_status = f"unreadable answer ({error})"
        else:
            return places_from_result(result, filters, origin=url)
    raise OsmSourceError(f"Overpass {url}: no answer after {retries + 1} attempts; last status: {last_status}. "
                         "Try again later, use another Overpass server, or a local extract.")


class _TimedRequest(urllib.request.Request):
    """A Request that keeps its own socket timeout.

    overpy 0.7 calls `urlopen(self.url, query)` without headers or timeout; urlopen accepts a
    Request as the URL (so headers travel with it), but overwrites `timeout` with the global
    default, which is "wait forever". The property ignores that overwrite.
    """

    def __init__(self, url: str, headers: dict[str, str], timeout_s: float) -> None:
        super().__init__(url, headers=headers, method="POST")
        self._timeout_s = timeout_s

    @property
    def timeout(self) -> float:
        return self._timeout_s

    @timeout.setter
    def timeout(self, value: Any) -> None:
        pass


def _request(url: str, user_agent: str, timeout_s: float) -> Any:
    # A fresh Request per attempt: urllib caches Content-Length on it.
    return _TimedRequest(url, {"User-Agent": user_agent}, timeout_s)


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
