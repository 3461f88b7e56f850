"""A loopback Overpass API for tests: answers the QL subset osmbridge generates from a local extract.

    with OverpassEmulator(extract_path, areas={7444: (48.81, 2.22, 48.90, 2.47)}) as overpass:
        places = fetch_overpass(overpass.url, filters, Area(relation_id=7444), backoff_s=0.01)

Like the real server (POST raw QL or `data=`, GET `?data=` on /api/interpreter) it understands:
  settings `[out:json][timeout:N][maxsize:N]`; `area(id:3600000000+rel)->.name;` (the relation's
  outline comes from `areas`: relation id -> shapely polygon or (s, w, n, e)); query statements
  `node|way|rel|relation|nwr|nw|nr|wr` with tag filters `["k"]`, `[!"k"]`, `["k"="v"]`, `["k"!="v"]`,
  `["k"~"re"]`, `["k"!~"re"]`, `[~"kre"~"vre"]` (`,i` for case-insensitive), `(area.name)` and
  `(s,w,n,e)`, `->.name`; unions `( ...; ...; );`; `out` / `.name out` with `ids|skel|body|tags|meta`,
  `center|geom|bb`, `asc|qt`. The answer is Overpass JSON (`version`, `generator`, `osm3s`,
  `elements`) with Content-Type exactly `application/json`, elements sorted by type then id; ways
  carry `nodes`, and with `geom` their `geometry` (null for a node missing from the extract, as
  Overpass writes a node cut off by a bbox), relations their members' geometry (known nodes only:
  overpy cannot read nulls there).
  Anything else gets HTTP 400 with Overpass's HTML error page (`<p><strong ...>Error</strong>: ...`).
  The parser lives in `emulators.overpass_ql`.

An element is "in" an area or bbox when its geometry (as read by `read_osm_file`) intersects it,
which is Overpass's rule. `fail_next(429, times=2)` makes the next answers fail with that status,
`time_out_next()` answers like a query that ran over its [timeout:] (200, a runtime-error remark);
`requests` records each request's method, User-Agent, query text and answer status.

`/api/status` answers as Overpass does ("Rate limit: 2", "2 slots available now." or "Slot available
after: <time>, in N seconds."); `slot_free_in(seconds, times)` makes the next status answers announce
a wait; `fail_next(429, retry_after_s=2)` adds a Retry-After header. `status_requests` counts them.
Queries that overlap in time are counted in `max_parallel` (a polite client never overlaps).
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import osmium
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from emulators.loopback import LoopbackServer
from emulators.overpass_ql import GEOMETRY_MODES, VERBOSITY, QLError, parse
from osmbridge.osm import read_osm_file
from osmbridge.osm.selection import iso_timestamp

AREA_ID_OFFSET = 3600000000
PATH = "/api/interpreter"
STATUS_PATH = "/api/status"
COPYRIGHT = ("The data included in this document is from www.openstreetmap.org. "
             "The data is made available under ODbL.")
TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the emulator received."""

    method: str
    user_agent: str | None
    query: str
    status: int


@dataclass(slots=True)
class Element:
    """An OSM element of the extract, as Overpass stores it."""

    kind: str  # "n", "w", "r"
    id: int
    tags: dict[str, str]
    meta: dict[str, Any]
    lon: float | None = None
    lat: float | None = None
    refs: list[int] = field(default_factory=list)
    members: list[tuple[str, int, str]] = field(default_factory=list)


# --- the extract ------------------------------------------------------------------------------


class Store:
    """Every element of an extract, plus the geometry osmbridge's reader gives each tagged one."""

    def __init__(self, extract: Path) -> None:
        self.elements: dict[tuple[str, int], Element] = {}
        if extract.suffix.lower() == ".json":
            self._load_json(extract)
        else:
            self._load_osmium(extract)
        self.geometry = {(p.osm_type, p.osm_id): p.geometry for p in read_osm_file(extract, [])}
        stamps = [e.meta["timestamp"] for e in self.elements.values() if e.meta.get("timestamp")]
        self.timestamp = max(stamps, default="2024-01-01T00:00:00Z")

    def _load_osmium(self, path: Path) -> None:
        for obj in osmium.FileProcessor(str(path)):
            kind = obj.type_str()
            meta = {"timestamp": iso_timestamp(obj.timestamp), "version": obj.version,
                    "changeset": obj.changeset, "user": obj.user, "uid": obj.uid}
            meta = {k: v for k, v in meta.items() if v is not None}  # a hand-made extract may lack them
            element = Element(kind, obj.id, {t.k: t.v for t in obj.tags}, meta)
            if kind == "n" and obj.location.valid():
                element.lon, element.lat = obj.location.lon, obj.location.lat
            elif kind == "w":
                element.refs = [n.ref for n in obj.nodes]
            elif kind == "r":
                element.members = [(m.type, m.ref, m.role) for m in obj.members]
            self.elements[(kind, obj.id)] = element

    def _load_json(self, path: Path) -> None:
        kinds = {"node": "n", "way": "w", "relation": "r"}
        for item in json.loads(path.read_text(encoding="utf-8"))["elements"]:
            kind = kinds[item["type"]]
            meta = {k: item[k] for k in ("timestamp", "version", "changeset", "user", "uid") if k in item}
            element = Element(kind, item["id"], dict(item.get("tags", {})), meta, item.get("lon"), item.get("lat"),
                              list(item.get("nodes", [])),
                              [(m["type"][0], m["ref"], m.get("role", "")) for m in item.get("members", [])])
            self.elements[(kind, item["id"])] = element

    def node_coords(self, ref: int) -> tuple[float, float] | None:
        node = self.elements.get(("n", ref))
        return (node.lon, node.lat) if node is not None and node.lon is not None else None

    def coords(self, element: Element) -> list[tuple[float, float]]:
        """All known coordinates of an element (for bounds and centre)."""
        if element.kind == "n":
            return [(element.lon, element.lat)] if element.lon is not None else []
        if element.kind == "w":
            return [c for c in map(self.node_coords, element.refs) if c is not None]
        result: list[tuple[float, float]] = []
        for kind, ref, _role in element.members:
            member = self.elements.get((kind, ref))
            if member is not None and kind != "r":
                result += self.coords(member)
        return result


# --- evaluation ---------------------------------------------------------------------------------


class Evaluator:
    def __init__(self, store: Store, areas: Mapping[int, BaseGeometry]) -> None:
        self.store, self.areas = store, areas
        self.sets: dict[str, Any] = {}
        self.output: list[dict[str, Any]] = []

    def run(self, statements: list[tuple[str, Any]]) -> None:
        for kind, args in statements:
            getattr(self, f"_{kind}")(*args)

    def _area(self, area_id: int, name: str) -> None:
        self.sets[name] = self.areas.get(area_id - AREA_ID_OFFSET)  # unknown area: empty results

    def _union(self, inner: list[tuple[str, Any]], name: str) -> None:
        found: dict[tuple[str, int], Element] = {}
        for kind, args in inner:
            self.run([(kind, args)])
            if kind in ("query", "union"):
                found.update(self.sets.get(args[-1], {}))
        self.sets[name] = found

    def _query(self, types: str, filters: list[Any], name: str) -> None:
        kinds = "nwr" if types == "nwr" else types
        result: dict[tuple[str, int], Element] = {}
        for key, element in self.store.elements.items():
            if element.kind not in kinds or not all(self._passes(element, f) for f in filters):
                continue
            result[key] = element
        self.sets[name] = result

    def _passes(self, element: Element, condition: Any) -> bool:
        if callable(condition):
            return condition(element.tags)
        kind, value = condition
        shape = self.sets.get(value) if kind == "area" else value
        if shape is None:
            return False
        geometry = self.store.geometry.get((element.kind, element.id))
        return geometry is not None and geometry.intersects(shape)

    def _out(self, source: str, modes: list[str]) -> None:
        elements = sorted(self.sets.get(source, {}).values(), key=lambda e: ("nwr".index(e.kind), e.id))
        verbosity = next((m for m in modes if m in VERBOSITY), "body")
        geometry = next((m for m in modes if m in GEOMETRY_MODES), None)
        self.output += [self._json(e, verbosity, geometry) for e in elements]

    def _json(self, element: Element, verbosity: str, geometry: str | None) -> dict[str, Any]:
        item: dict[str, Any] = {"type": TYPE_NAMES[element.kind], "id": element.id}
        if element.kind == "n" and verbosity != "ids":
            item.update(lat=round(element.lat, 7), lon=round(element.lon, 7))
        if verbosity == "meta":
            item.update(element.meta)
        coords = self.store.coords(element) if element.kind != "n" else []
        if element.kind != "n" and geometry in ("geom", "bb") and coords:
            lons, lats = [c[0] for c in coords], [c[1] for c in coords]
            item["bounds"] = {"minlat": min(lats), "minlon": min(lons), "maxlat": max(lats), "maxlon": max(lons)}
        if element.kind != "n" and geometry == "center" and coords:
            lons, lats = [c[0] for c in coords], [c[1] for c in coords]
            # Overpass's centre is the middle of the bounding box, not a point on the feature.
            item["center"] = {"lat": round((min(lats) + max(lats)) / 2, 7),
                              "lon": round((min(lons) + max(lons)) / 2, 7)}
        if element.kind == "w" and verbosity in ("skel", "body", "meta"):
            item["nodes"] = list(element.refs)
            if geometry == "geom":
                # A node missing from the extract is null, as Overpass writes nodes cut off by a bbox.
                item["geometry"] = [_point(self.store.node_coords(ref)) for ref in element.refs]
        if element.kind == "r" and verbosity in ("skel", "body", "meta"):
            item["members"] = [self._member(kind, ref, role, geometry == "geom") for kind, ref, role in element.members]
        if element.tags and verbosity in ("tags", "body", "meta"):
            item["tags"] = dict(element.tags)
        return item

    def _member(self, kind: str, ref: int, role: str, with_geometry: bool) -> dict[str, Any]:
        member: dict[str, Any] = {"type": TYPE_NAMES[kind], "ref": ref, "role": role}
        target = self.store.elements.get((kind, ref))
        if with_geometry and target is not None and kind == "n" and target.lon is not None:
            member.update(lat=round(target.lat, 7), lon=round(target.lon, 7))
        elif with_geometry and target is not None and kind == "w":
            member["geometry"] = _points(self.store.coords(target))
        return member


def _points(coords: Iterable[tuple[float, float]]) -> list[dict[str, float]]:
    return [{"lat": round(lat, 7), "lon": round(lon, 7)} for lon, lat in coords]


def _point(coords: tuple[float, float] | None) -> dict[str, float] | None:
    return None if coords is None else {"lat": round(coords[1], 7), "lon": round(coords[0], 7)}


# --- the server ---------------------------------------------------------------------------------


class OverpassEmulator:
    """A threaded Overpass server on 127.0.0.1 answering from `extract`; use as a context manager."""

    def __init__(self, extract: Path,
                 areas: Mapping[int, BaseGeometry | tuple[float, float, float, float]] | None = None) -> None:
        self.store = Store(Path(extract))
        self.areas = {rel: _shape(area) for rel, area in (areas or {}).items()}
        self.requests: list[RecordedRequest] = []
        self.status_requests = 0
        self.max_parallel = 0
        self.delay_s = 0.0  # each query takes at least this long (to see overlapping clients)
        self._running = 0
        self._failures: list[int | str] = []
        self._retry_after: dict[int, float] = {}  # failure index -> Retry-After seconds
        self._slot_waits: list[int] = []
        self._lock = threading.Lock()
        self._loopback: LoopbackServer | None = None

    @property
    def url(self) -> str:
        assert self._loopback is not None, "start the emulator first"
        return self._loopback.url + PATH

    def fail_next(self, status: int, times: int = 1, retry_after_s: float | None = None) -> None:
        """Answer the next `times` requests with HTTP `status` (429, 504...) instead of data."""
        with self._lock:
            for _ in range(times):
                if retry_after_s is not None:
                    self._retry_after[len(self._failures)] = retry_after_s
                self._failures.append(status)

    @property
    def busy(self) -> bool:
        """Whether a query is being answered right now."""
        return self._running > 0

    def slot_free_in(self, seconds: int, times: int = 1) -> None:
        """Make the next `times` /api/status answers say the next slot is free in `seconds`."""
        with self._lock:
            self._slot_waits += [seconds] * times

    def status_text(self) -> str:
        """The text of /api/status, as Overpass writes it."""
        with self._lock:
            self.status_requests += 1
            wait = self._slot_waits.pop(0) if self._slot_waits else None
        lines = ["Connected as: 2130706433", f"Current time: {self.store.timestamp}", "Rate limit: 2"]
        if wait is None:
            lines.append("2 slots available now.")
        else:
            lines += [f"Slot available after: {self.store.timestamp}, in {wait} seconds.",
                      f"Slot available after: {self.store.timestamp}, in {wait + 30} seconds."]
        lines.append("Currently running queries (pid, space limit, time limit, start time):")
        return "\n".join(lines) + "\n"

    def time_out_next(self, times: int = 1) -> None:
        """Answer the next `times` requests like a query over its [timeout:]: 200, no data, a remark."""
        with self._lock:
            self._failures += ["timeout"] * times

    def answer(self, query: str) -> tuple[int, str, bytes]:
        """Return (status, content type, body) for a query, as the server would send them."""
        status, content_type, body, _headers = self.answer_with_headers(query)
        return status, content_type, body

    def answer_with_headers(self, query: str) -> tuple[int, str, bytes, dict[str, str]]:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            retry_after = self._retry_after.pop(0, None)
            self._retry_after = {index - 1: value for index, value in self._retry_after.items()}
        if isinstance(failure, int):
            headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
            return failure, "text/html; charset=utf-8", _error_page(f"HTTP {failure}: try again later."), headers
        status, content_type, body = self._evaluate(query, failure)
        return status, content_type, body, {}

    def _evaluate(self, query: str, failure: str | None) -> tuple[int, str, bytes]:
        try:
            parsed = parse(query)
        except (QLError, re.error) as error:
            return 400, "text/html; charset=utf-8", _error_page(str(error))
        evaluator = Evaluator(self.store, self.areas)
        evaluator.run(parsed.statements)
        document: dict[str, Any] = {
            "version": 0.6,
            "generator": "Overpass API 0.7.62.1 (osmbridge test emulator)",
            "osm3s": {"timestamp_osm_base": self.store.timestamp, "copyright": COPYRIGHT},
            "elements": evaluator.output,
        }
        if failure == "timeout":
            timeout = parsed.settings.get("timeout", "180")
            document["elements"] = []
            document["remark"] = f'runtime error: Query timed out in "query" at line 3 after {timeout} seconds.'
        return 200, "application/json", json.dumps(document, ensure_ascii=False).encode("utf-8")

    def start(self) -> OverpassEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                split = urlsplit(self.path)
                self._serve(split.path, parse_qs(split.query).get("data", [""])[0])

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if body.startswith("data="):  # a form post, as browsers and some clients send
                    body = parse_qs(body).get("data", [""])[0]
                self._serve(urlsplit(self.path).path, body)

            def _serve(self, path: str, query: str) -> None:
                headers: dict[str, str] = {}
                if path == STATUS_PATH:
                    self._send(200, "text/plain; charset=utf-8", emulator.status_text().encode(), {})
                    return
                if path != PATH:
                    status, content_type, payload = 404, "text/plain", b"not found"
                else:
                    with emulator._lock:
                        emulator._running += 1
                        emulator.max_parallel = max(emulator.max_parallel, emulator._running)
                    try:
                        time.sleep(emulator.delay_s)
                        status, content_type, payload, headers = emulator.answer_with_headers(query)
                    finally:
                        with emulator._lock:
                            emulator._running -= 1
                with emulator._lock:
                    emulator.requests.append(
                        RecordedRequest(self.command, self.headers.get("User-Agent"), query, status))
                self._send(status, content_type, payload, headers)

            def _send(self, status: int, content_type: str, payload: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._loopback = LoopbackServer(Handler).start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()
            self._loopback = None

    def __enter__(self) -> OverpassEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _shape(area: BaseGeometry | tuple[float, float, float, float]) -> BaseGeometry:
    if isinstance(area, tuple):
        south, west, north, east = area
        return box(west, south, east, north)
    return area


def _error_page(message: str) -> bytes:
    """Overpass's HTML error page; overpy extracts the `<p><strong ...>Error</strong>: ...</p>` lines."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8" lang="en"/>
  <title>OSM3S Response</title>
</head>
<body>
<p>{COPYRIGHT}</p>
<p><strong style="color:#FF0000">Error</strong>: {html.escape(message)} </p>
</body>
</html>
""".encode()


__all__ = ["OverpassEmulator", "QLError", "RecordedRequest", "parse"]
