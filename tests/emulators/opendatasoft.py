"""A loopback Opendatasoft portal speaking the Explore API v2.1, for tests.

    with OpendatasoftEmulator({"equipements": records_from_geojson(path)}) as portal:
        read_city_places(SourceSpec("opendatasoft", portal.base_url, dataset_id="equipements"), ...)

It serves, like a real portal:
  GET /api/explore/v2.1/catalog/datasets/{id}/records?limit=&offset=&where=
      -> {"total_count": n, "results": [...]}; limit 1..100 (default 10), offset + limit <= 10,000,
         else HTTP 400 InvalidRESTParameterError; `where` supports `field = "text"`, `field = 'text'`,
         `field = 12` joined with `and` (anything else: HTTP 400 ODSQLError);
  GET .../exports/json    -> the list of all (filtered) records, no cap;
  GET .../exports/geojson -> a FeatureCollection: geo_shape as geometry, the other fields as properties;
  an unknown dataset -> HTTP 404. Every request path is logged in `requests`; `inject()` makes the
  next answers fail (status, body, content type) and `delay_s` slows every answer (for timeouts).

Conditional requests, as the portal's front caches answer them: every 200 carries an `ETag` (a hash of
the body) and a `Last-Modified` (when its dataset last changed, see `set_records`); a request whose
If-None-Match names the current ETag, or (without it) whose If-Modified-Since is not older, gets 304
with no body. `validators = "etag" | "last-modified" | None` chooses what is sent; `not_modified`
counts the 304s.
"""

from __future__ import annotations

import json
import hashlib
import re
import threading
import time
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from emulators.loopback import LoopbackServer

PREFIX = "/api/explore/v2.1/catalog/datasets/"
MAX_WINDOW = 10_000
_CONDITION = re.compile(r"""\s*`?([\w.]+)`?\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)\s*""")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def records_from_geojson(path: Path) -> list[dict[str, Any]]:
    """Return a GeoJSON file's features as Opendatasoft records: properties + geo_point_2d + geo_shape."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return [ods_record(feature["properties"] or {}, feature.get("geometry")) for feature in features]


def ods_record(properties: Mapping[str, Any], geometry: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return one Opendatasoft record: the fields, and the portal's geo_point_2d / geo_shape for `geometry`."""
    record = dict(properties)
    if geometry:
        lon, lat = _representative(geometry)
        record["geo_point_2d"] = {"lon": lon, "lat": lat}
        record["geo_shape"] = {"type": "Feature", "geometry": geometry, "properties": {}}
    return record


def _representative(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """A point of the geometry (the portal computes a centroid; the first vertex is enough here)."""
    coords: Any = geometry["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return float(coords[0]), float(coords[1])


class OpendatasoftEmulator:
    """A threaded HTTP server on 127.0.0.1 serving `datasets` (id -> records); use as a context manager."""

    def __init__(self, datasets: Mapping[str, Sequence[dict[str, Any]]]) -> None:
        self.datasets = {key: list(records) for key, records in datasets.items()}
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        self.delay_s = 0.0
        self.validators: str | None = "etag"
        self.not_modified = 0
        self.modified = {key: time.time() for key in self.datasets}
        self._faults: list[tuple[int, bytes, str]] = []
        self._lock = threading.Lock()
        self._loopback = LoopbackServer(self._handler_class())

    @property
    def base_url(self) -> str:
        return self._loopback.url

    def inject(self, status: int, body: bytes | str = b"", content_type: str = "application/json",
               times: int = 1) -> None:
        """Answer the next `times` requests with this status and body instead of the data."""
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            self._faults.extend([(status, data, content_type)] * times)

    def __enter__(self) -> OpendatasoftEmulator:
        self._loopback.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loopback.stop()

    def set_records(self, dataset: str, records: Sequence[dict[str, Any]]) -> None:
        """Replace a dataset's records, as the city publishing a new version (its Last-Modified moves on)."""
        with self._lock:
            self.datasets[dataset] = list(records)
            self.modified[dataset] = max(time.time(), self.modified.get(dataset, 0) + 1)

    def _next_fault(self) -> tuple[int, bytes, str] | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def answer(self, path: str) -> tuple[int, Any]:
        """Return (status, JSON body) for a GET of `path` (with its query string)."""
        url = urlsplit(path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if not url.path.startswith(PREFIX):
            return 404, _error("NotFound", f"Unknown path {url.path}")
        parts = [unquote(part) for part in url.path[len(PREFIX):].split("/")]
        records = self.datasets.get(parts[0])
        if records is None:
            return 404, _error("NotFound", f"Dataset {parts[0]!r} not found.")
        try:
            selected = [record for record in records if _matches(record, query.get("where"))]
        except ValueError as problem:
            return 400, _error("ODSQLError", str(problem))
        if parts[1:] == ["records"]:
            return _page(selected, query)
        if parts[1:] == ["exports", "json"]:
            return 200, selected
        if parts[1:] == ["exports", "geojson"]:
            return 200, _feature_collection(selected)
        return 404, _error("NotFound", f"Unknown path {url.path}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                emulator.requests.append(self.path)
                emulator.user_agents.append(self.headers.get("User-Agent", ""))
                if emulator.delay_s:
                    time.sleep(emulator.delay_s)
                fault = emulator._next_fault()
                if fault:
                    self._send(*fault)
                    return
                status, body = emulator.answer(self.path)
                payload = json.dumps(body).encode()
                headers = emulator._validators(self.path, payload) if status == 200 else {}
                if headers and emulator._unchanged(headers, self.headers):
                    with emulator._lock:
                        emulator.not_modified += 1
                    self._send(304, b"", "", headers)
                    return
                self._send(status, payload, "application/json; charset=utf-8", headers)

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler

    def _validators(self, path: str, payload: bytes) -> dict[str, str]:
        if self.validators == "etag":
            return {"ETag": f'"{hashlib.sha256(payload).hexdigest()[:32]}"'}
        if self.validators == "last-modified":
            dataset = unquote(urlsplit(path).path[len(PREFIX):].split("/")[0])
            return {"Last-Modified": formatdate(self.modified.get(dataset, 0), usegmt=True)}
        return {}

    def _unchanged(self, validators: Mapping[str, str], request: Mapping[str, str]) -> bool:
        if "ETag" in validators:
            return request.get("If-None-Match") == validators["ETag"]
        since = request.get("If-Modified-Since")
        if since is None or "Last-Modified" not in validators:
            return False
        return parsedate_to_datetime(since) >= parsedate_to_datetime(validators["Last-Modified"])


def _page(records: list[dict[str, Any]], query: Mapping[str, str]) -> tuple[int, Any]:
    try:
        limit = int(query.get("limit", "10"))
        offset = int(query.get("offset", "0"))
    except ValueError:
        return 400, _error("InvalidRESTParameterError", "limit and offset must be integers.")
    if not 1 <= limit <= 100:
        return 400, _error("InvalidRESTParameterError",
                           f"Invalid value for limit API parameter: {limit} was found but -1 <= limit <= 100 "
                           "is expected.")
    if offset < 0 or offset + limit > MAX_WINDOW:
        return 400, _error("InvalidRESTParameterError",
                           f"Invalid value for offset API parameter: offset + limit must be <= {MAX_WINDOW}.")
    return 200, {"total_count": len(records), "results": records[offset: offset + limit]}


def _matches(record: Mapping[str, Any], where: str | None) -> bool:
    """Evaluate a `where` of equalities joined by `and`; ValueError for anything else."""
    if not where:
        return True
    for condition in _AND.split(where.strip()):
        found = _CONDITION.fullmatch(condition)
        if not found:
            raise ValueError(f"Unsupported ODSQL in where: {condition!r}")
        field, literal = found.groups()
        if literal[0] in "\"'":
            wanted: Any = literal[1:-1].replace("\\" + literal[0], literal[0])
            if str(record.get(field)) != wanted:
                return False
        elif _number(record.get(field)) != float(literal):
            return False
    return True


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _feature_collection(records: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for record in records:
        shape = record.get("geo_shape") or {}
        properties = {key: value for key, value in record.items() if key != "geo_shape"}
        features.append({"type": "Feature", "geometry": shape.get("geometry"), "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error_code": code, "message": message}
