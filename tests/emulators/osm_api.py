"""A loopback OSM API 0.6 server for tests: versioned elements, changesets, atomic diff uploads, OAuth2.

    with OsmApiEmulator(token="secret") as api:
        api.add_node(1, 47.21, -1.55, {"amenity": "library"})
        OsmApi(api=api.url, session=bearer_session("secret")).node_get(1)

What it serves, like api.openstreetmap.org:
  GET  /api/capabilities, /api/0.6/capabilities
  GET  /api/0.6/map?bbox=  (nodes inside, their ways and relations; 400 above 0.25 square degrees),
       /api/0.6/{node|way|relation}/{id}[/{version}]  (404 unknown, 410 deleted),
       /api/0.6/{way|relation}/{id}/full, /api/0.6/{nodes|ways|relations}?{type}s=1,2 (multi-fetch)
  PUT  /api/0.6/changeset/create, /api/0.6/changeset/{id} (tags), /api/0.6/changeset/{id}/close
  PUT  /api/0.6/{type}/create, PUT|DELETE /api/0.6/{type}/{id}  (one element, same rules as an upload)
  GET  /api/0.6/changeset/{id}, /api/0.6/changeset/{id}/download (osmChange of what it holds),
       /api/0.6/changesets?user=&open=1|closed=1
  POST /api/0.6/changeset/{id}/upload  osmChange applied atomically -> diffResult; 409 version mismatch
       or closed changeset, 412 missing way nodes / relation members / element still used, 410 deleted
  GET  /api/0.6/user/details; POST /oauth2/token (authorization code + PKCE S256)
Writes need `Authorization: Bearer <token>` (401 otherwise); reads need nothing.

Hooks for the stories tests tell:
  `mapper_edit(key, tags=..., lat=..., lon=..., delete=...)`: another mapper edits an element now
      (a new version in a changeset of theirs);
  `edit_after_read(key, reads=1, **edit)`: that edit happens right after the client's next (or
      `reads`-th) read of the element (so the client's upload then names an old version);
  `edit_before_upload(key, **edit)`: that edit happens when the next upload arrives, before it is applied;
  `drop_after_apply()`: the next upload is applied, then the connection is cut without an answer;
  `fail_next(status, times, retry_after=None)`: the next requests get that status (429 with Retry-After);
  `close_changeset(id)`: the server closes a changeset (idle for an hour); `close_before_upload()`: it
      does so just as the next upload arrives (409 "was closed at");
  `reject_next_upload(status, message)`: the next upload is refused with that answer (nothing applied).
`requests` records every request (method, path, status, authorised); `writes` the PUT/POST/DELETE ones.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import osmium

from emulators.loopback import LoopbackServer
from emulators.osm_api_data import TYPE_KEYS, TYPE_NAMES, ApiFailure, Database, Version, document, element_xml

USER, UID = "osmbridge-test", 4242
MAPPER, MAPPER_UID = "other-mapper", 777


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    authorised: bool


class OsmApiEmulator:
    """A threaded OSM API 0.6 on 127.0.0.1; use as a context manager. `url` is what OsmApi(api=...) takes."""

    def __init__(self, token: str = "test-token", *, client_id: str = "osmbridge-client",
                 extract: Path | None = None) -> None:
        self.token, self.client_id = token, client_id
        self._time = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
        self.db = Database(self._tick)
        self.requests: list[RecordedRequest] = []
        self._failures: list[tuple[int, str | None]] = []
        self._after_read: dict[tuple[str, int], list[tuple[int, dict[str, Any]]]] = {}
        self._before_upload: list[tuple[tuple[str, int], dict[str, Any]]] = []
        self._drops = 0
        self._upload_rejections: list[tuple[int, str]] = []
        self._close_before_upload = 0
        self._codes: dict[str, tuple[str, str]] = {}  # authorization code -> (challenge, redirect_uri)
        self._mapper_changeset: int | None = None
        self._lock = threading.RLock()
        self._loopback: LoopbackServer | None = None
        if extract is not None:
            self.load(extract)

    # --- data ------------------------------------------------------------------------------------

    def _tick(self) -> str:
        self._time += timedelta(seconds=1)
        return self._time.strftime("%Y-%m-%dT%H:%M:%SZ")

    def load(self, path: Path) -> None:
        """Load every element of an .osm/.pbf file (versions as in the file, 1 when absent)."""
        for obj in osmium.FileProcessor(str(path)):
            kind = obj.type_str()
            version = Version(kind, obj.id, obj.version or 1, obj.changeset or 1, obj.user or MAPPER,
                              obj.uid or MAPPER_UID, self._tick(), tags={t.k: t.v for t in obj.tags})
            if kind == "n":
                version.lat, version.lon = obj.location.lat, obj.location.lon
            elif kind == "w":
                version.nodes = [n.ref for n in obj.nodes]
            else:
                version.members = [(m.type, m.ref, m.role) for m in obj.members]
            self.db.put(version)

    def add_node(self, node_id: int, lat: float, lon: float, tags: Mapping[str, str] | None = None,
                 version: int = 1) -> None:
        with self._lock:
            self.db.put(Version("n", node_id, version, 1, MAPPER, MAPPER_UID, self._tick(), tags=dict(tags or {}),
                                lat=lat, lon=lon))

    def add_way(self, way_id: int, nodes: list[int], tags: Mapping[str, str] | None = None, version: int = 1) -> None:
        with self._lock:
            self.db.put(Version("w", way_id, version, 1, MAPPER, MAPPER_UID, self._tick(), tags=dict(tags or {}),
                                nodes=list(nodes)))

    def add_relation(self, relation_id: int, members: list[tuple[str, int, str]],
                     tags: Mapping[str, str] | None = None, version: int = 1) -> None:
        with self._lock:
            self.db.put(Version("r", relation_id, version, 1, MAPPER, MAPPER_UID, self._tick(),
                                tags=dict(tags or {}), members=list(members)))

    def element(self, key: str) -> Version | None:
        """The newest version of "n1" / "w2" / "r3" (deleted ones included), or None."""
        with self._lock:
            return self.db.latest(key[0], int(key[1:]))

    def elements(self, kind: str | None = None) -> list[Version]:
        """The newest version of every visible element (of one type key), nodes, ways, relations by id."""
        with self._lock:
            ordered = sorted(self.db.history.items(), key=lambda item: ("nwr".index(item[0][0]), item[0][1]))
            return [v[-1] for k, v in ordered if v[-1].visible and (kind is None or k[0] == kind)]

    def history(self, key: str) -> list[Version]:
        with self._lock:
            return list(self.db.history.get((key[0], int(key[1:])), []))

    @property
    def changesets(self) -> list[Any]:
        with self._lock:
            return [self.db.changesets[i] for i in sorted(self.db.changesets)]

    @property
    def writes(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method in ("PUT", "POST", "DELETE") and r.path.startswith("/api")]

    # --- hooks -----------------------------------------------------------------------------------

    def mapper_edit(self, key: str, *, tags: Mapping[str, str] | None = None, set_tags: Mapping[str, str] | None = None,
                    unset: tuple[str, ...] = (), lat: float | None = None, lon: float | None = None,
                    nodes: list[int] | None = None, delete: bool = False) -> Version:
        """Another mapper edits `key` now: a new version in their own (closed) changeset."""
        with self._lock:
            current = self.db.current(key[0], int(key[1:]))
            if self._mapper_changeset is None:
                changeset = self.db.open_changeset(MAPPER, MAPPER_UID, {"comment": "survey"})
                self._mapper_changeset = changeset.id
            changeset = self.db.changesets[self._mapper_changeset]
            new_tags = dict(tags) if tags is not None else dict(current.tags)
            new_tags.update(set_tags or {})
            for name in unset:
                new_tags.pop(name, None)
            version = Version(current.type, current.id, current.version + 1, changeset.id, MAPPER, MAPPER_UID,
                              self._tick(), visible=not delete, tags={} if delete else new_tags,
                              lat=None if delete else (lat if lat is not None else current.lat),
                              lon=None if delete else (lon if lon is not None else current.lon),
                              nodes=[] if delete else list(nodes if nodes is not None else current.nodes),
                              members=[] if delete else list(current.members))
            self.db.put(version)
            changeset.changes.append(("delete" if delete else "modify", version))
            return version

    def edit_after_read(self, key: str, reads: int = 1, **edit: Any) -> None:
        """Make `mapper_edit(key, **edit)` happen right after the client's `reads`-th read of `key` from now
        (single or multi-fetch)."""
        with self._lock:
            self._after_read.setdefault((key[0], int(key[1:])), []).append((reads, edit))

    def _count_read(self, kind: str, element_id: int) -> None:
        pending = self._after_read.get((kind, element_id), [])
        due = [edit for reads, edit in pending if reads <= 1]
        self._after_read[(kind, element_id)] = [(reads - 1, edit) for reads, edit in pending if reads > 1]
        for edit in due:
            self.mapper_edit(f"{kind}{element_id}", **edit)

    def edit_before_upload(self, key: str, **edit: Any) -> None:
        """Make `mapper_edit(key, **edit)` happen when the next upload arrives, before it is applied."""
        with self._lock:
            self._before_upload.append(((key[0], int(key[1:])), edit))

    def drop_after_apply(self, times: int = 1) -> None:
        """Apply the next `times` uploads, then cut the connection instead of answering."""
        with self._lock:
            self._drops += times

    def reject_next_upload(self, status: int, message: str) -> None:
        """Refuse the next upload with this status and message (nothing applied), e.g. 410 for a deleted node."""
        with self._lock:
            self._upload_rejections.append((status, message))

    def close_before_upload(self, times: int = 1) -> None:
        """Close the changeset when the next upload arrives (it sat idle an hour): the upload gets 409."""
        with self._lock:
            self._close_before_upload += times

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next `times` API requests with `status` (429: with a Retry-After header)."""
        with self._lock:
            self._failures += [(status, retry_after)] * times

    def close_changeset(self, changeset_id: int) -> None:
        """The server closes a changeset, as it does after an hour without edits."""
        with self._lock:
            self.db.close_changeset(self.db.changesets[changeset_id])

    def authorize(self, code_challenge: str, redirect_uri: str) -> str:
        """What the user's browser does on /oauth2/authorize: consent, and get an authorization code."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = (code_challenge, redirect_uri)
        return code

    # --- requests --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes,
               ) -> tuple[int, str, bytes, dict[str, str], bool]:
        """Answer one request: (status, content type, body, extra headers, drop the connection)."""
        split = urlsplit(target)
        path, query = split.path, parse_qs(split.query)
        authorised = headers.get("Authorization", "") == f"Bearer {self.token}"
        with self._lock:
            try:
                if path.startswith("/api/") and self._failures:
                    status, retry_after = self._failures.pop(0)
                    extra = {"Retry-After": retry_after} if retry_after else {}
                    answer: tuple[int, str, bytes, dict[str, str], bool] = (
                        status, "text/plain", f"Simulated failure {status}".encode(), extra, False)
                else:
                    answer = self._route(method, path, query, body, authorised)
            except ApiFailure as failure:
                answer = (failure.status, "text/plain; charset=utf-8", failure.message.encode(), {}, False)
            self.requests.append(RecordedRequest(method, path, answer[0], authorised))
        return answer

    def _route(self, method: str, path: str, query: Mapping[str, list[str]], body: bytes, authorised: bool,
               ) -> tuple[int, str, bytes, dict[str, str], bool]:
        xml = "text/xml; charset=utf-8"
        if path in ("/api/capabilities", "/api/0.6/capabilities") and method == "GET":
            return 200, xml, _capabilities(), {}, False
        if path == "/oauth2/token" and method == "POST":
            return self._token(body)
        if method in ("PUT", "POST", "DELETE") and not authorised:
            raise ApiFailure(401, "Couldn't authenticate you")
        if path == "/api/0.6/user/details" and method == "GET":
            if not authorised:
                raise ApiFailure(401, "Couldn't authenticate you")
            user = ET.Element("user", {"id": str(UID), "display_name": USER, "account_created": "2020-01-01T00:00:00Z"})
            return 200, xml, document([user]), {}, False
        if path == "/api/0.6/changeset/create" and method == "PUT":
            changeset = self.db.open_changeset(USER, UID, _changeset_tags(body))
            return 200, "text/plain", str(changeset.id).encode(), {}, False
        if path == "/api/0.6/map" and method == "GET":
            return 200, xml, document(element_xml(v) for v in self._map(query.get("bbox", [""])[0])), {}, False
        if path == "/api/0.6/changesets" and method == "GET":
            chosen = [c for c in self.db.changesets.values()
                      if ("user" not in query or str(c.uid) == query["user"][0])
                      and ("open" not in query or c.open) and ("closed" not in query or not c.open)]
            return 200, xml, document(self.db.changeset_xml(c) for c in sorted(chosen, key=lambda c: -c.id)), {}, False
        found = re.fullmatch(r"/api/0\.6/changeset/(\d+)(?:/(close|upload|download))?", path)
        if found:
            return self._changeset(method, int(found.group(1)), found.group(2), body)
        found = re.fullmatch(r"/api/0\.6/(nodes|ways|relations)", path)
        if found and method == "GET":
            kind = found.group(1)[0]
            ids = [int(i) for i in query.get(found.group(1), [""])[0].split(",") if i]
            versions = []
            for element_id in ids:
                newest = self.db.latest(kind, element_id)
                if newest is None:
                    raise ApiFailure(404, f"One or more of the {found.group(1)} were not found")
                versions.append(newest)
            payload = document(element_xml(v) for v in versions)
            for element_id in ids:
                self._count_read(kind, element_id)
            return 200, xml, payload, {}, False
        found = re.fullmatch(r"/api/0\.6/(node|way|relation)/(\d+)(?:/(full|\d+))?", path)
        if found and method == "GET":
            return self._read(TYPE_KEYS[found.group(1)], int(found.group(2)), found.group(3))
        found = re.fullmatch(r"/api/0\.6/(node|way|relation)/(create|\d+)", path)
        if found and method in ("PUT", "DELETE"):
            return self._write_one(method, found.group(1), found.group(2), body)
        raise ApiFailure(404, f"no route for {method} {path}")

    def _map(self, bbox: str) -> list[Version]:
        """What /map returns: nodes inside the box, the ways using them with all their nodes, the relations
        using any of these."""
        try:
            west, south, east, north = (float(v) for v in bbox.split(","))
        except ValueError:
            raise ApiFailure(400, "The parameter bbox is required, and must be of the form min_lon,min_lat,"
                                  "max_lon,max_lat.") from None
        if (east - west) * (north - south) > 0.25:
            raise ApiFailure(400, "The maximum bbox size is 0.25, and your request was too large.")
        visible = [v[-1] for v in self.db.history.values() if v[-1].visible]
        nodes = {v.id: v for v in visible if v.type == "n" and south <= (v.lat or 0) <= north
                 and west <= (v.lon or 0) <= east}
        ways = [v for v in visible if v.type == "w" and any(ref in nodes for ref in v.nodes)]
        for way in ways:
            for ref in way.nodes:
                node = self.db.latest("n", ref)
                if node is not None and node.visible:
                    nodes.setdefault(ref, node)
        keys = {("n", i) for i in nodes} | {("w", w.id) for w in ways}
        relations = [v for v in visible if v.type == "r" and any((k, ref) in keys for k, ref, _ in v.members)]
        return [*sorted(nodes.values(), key=lambda v: v.id), *sorted(ways, key=lambda v: v.id),
                *sorted(relations, key=lambda v: v.id)]

    def _read(self, kind: str, element_id: int, extra: str | None) -> tuple[int, str, bytes, dict[str, str], bool]:
        xml = "text/xml; charset=utf-8"
        if extra is not None and extra.isdigit():
            for version in self.db.history.get((kind, element_id), []):
                if version.version == int(extra):
                    return 200, xml, document([element_xml(version)]), {}, False
            raise ApiFailure(404, f"The {TYPE_NAMES[kind]} with the id {element_id} has no version {extra}")
        current = self.db.current(kind, element_id)
        elements = [current]
        if extra == "full":
            related = [("n", ref) for ref in current.nodes] + [(k, ref) for k, ref, _ in current.members]
            for rel_kind, ref in related:
                member = self.db.latest(rel_kind, ref)
                if member is not None and member.visible and member not in elements:
                    elements.insert(0, member)
                    if rel_kind == "w":
                        elements[:0] = [n for n in (self.db.latest("n", r) for r in member.nodes)
                                        if n is not None and n.visible and n not in elements]
        payload = document(element_xml(v) for v in elements)
        self._count_read(kind, element_id)
        return 200, xml, payload, {}, False

    def _write_one(self, method: str, kind: str, target: str, body: bytes,
                   ) -> tuple[int, str, bytes, dict[str, str], bool]:
        """PUT /node/create, PUT /node/#id, DELETE /node/#id: a one-element upload into the changeset named."""
        try:
            element = ET.fromstring(body).find(kind)
        except ET.ParseError as error:
            raise ApiFailure(400, f"Cannot parse valid {kind} from xml string: {error}") from None
        if element is None:
            raise ApiFailure(400, f"Cannot parse valid {kind} from xml string: no {kind} element")
        if target == "create":
            element.set("id", "-1")
        elif element.get("id") != target:
            raise ApiFailure(400, f"The id in the url ({target}) is not the same as provided in the xml "
                                  f"({element.get('id')})")
        changeset = self.db.writable_changeset(int(element.get("changeset", "0")), UID)
        action = "create" if target == "create" else "delete" if method == "DELETE" else "modify"
        change = ET.Element("osmChange")
        ET.SubElement(change, action).append(element)
        result = ET.fromstring(self.db.apply_upload(changeset, ET.tostring(change)))[0]
        answer = result.get("new_id") if action == "create" else result.get("new_version") or ""
        return 200, "text/plain", (answer or "").encode(), {}, False

    def _changeset(self, method: str, changeset_id: int, action: str | None,
                   body: bytes) -> tuple[int, str, bytes, dict[str, str], bool]:
        xml = "text/xml; charset=utf-8"
        if action is None and method == "GET":
            changeset = self.db.changesets.get(changeset_id)
            if changeset is None:
                raise ApiFailure(404, f"The changeset with the id {changeset_id} was not found")
            return 200, xml, document([self.db.changeset_xml(changeset)]), {}, False
        if action == "download" and method == "GET":
            return 200, xml, self.db.changeset_download(changeset_id), {}, False
        if action is None and method == "PUT":
            changeset = self.db.writable_changeset(changeset_id, UID)
            changeset.tags = _changeset_tags(body)
            return 200, xml, document([self.db.changeset_xml(changeset)]), {}, False
        if action == "close" and method == "PUT":
            self.db.close_changeset(self.db.writable_changeset(changeset_id, UID))
            return 200, "text/plain", b"", {}, False
        if action == "upload" and method == "POST":
            if self._close_before_upload and changeset_id in self.db.changesets:
                self._close_before_upload -= 1
                self.db.close_changeset(self.db.changesets[changeset_id])
            changeset = self.db.writable_changeset(changeset_id, UID)
            if self._upload_rejections:
                status, text = self._upload_rejections.pop(0)
                raise ApiFailure(status, text)
            for key, edit in self._before_upload:
                self.mapper_edit(f"{key[0]}{key[1]}", **edit)
            self._before_upload = []
            result = self.db.apply_upload(changeset, body)
            drop = self._drops > 0
            self._drops -= 1 if drop else 0
            return 200, xml, result, {}, drop
        raise ApiFailure(405, f"{method} not allowed on this changeset resource")

    def _token(self, body: bytes) -> tuple[int, str, bytes, dict[str, str], bool]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        error = None
        issued = self._codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or form.get("client_id") != self.client_id:
            error = "invalid_client"
        elif issued is None or issued[1] != form.get("redirect_uri"):
            error = "invalid_grant"
        else:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != issued[0]:
                error = "invalid_grant"
        if error:
            payload = json.dumps({"error": error, "error_description": "The provided authorization grant is invalid"})
            return 400, "application/json", payload.encode(), {}, False
        answer = {"access_token": self.token, "token_type": "Bearer", "scope": form.get("scope", "write_api"),
                  "created_at": 1714564800}
        return 200, "application/json", json.dumps(answer).encode(), {}, False

    # --- server ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._loopback is not None, "start the emulator first"
        return self._loopback.url

    def start(self) -> OsmApiEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle waits for the client's
                # delayed ACK (40 ms) before sending the body of every answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, content_type, payload, extra, drop = emulator.handle(
                    self.command, self.path, dict(self.headers.items()), body)
                if drop:
                    # The server did the work; the answer is lost on the way (a proxy timeout, a cut line).
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = _serve  # http.server's naming

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._loopback = LoopbackServer(Handler, poll_interval_s=0.05).start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()
            self._loopback = None

    def __enter__(self) -> OsmApiEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _changeset_tags(body: bytes) -> dict[str, str]:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise ApiFailure(400, f"Cannot parse valid changeset from xml string: {error}") from None
    changeset = root.find("changeset")
    if changeset is None:
        raise ApiFailure(400, "Cannot parse valid changeset from xml string: no changeset element")
    return {tag.get("k", ""): tag.get("v", "") for tag in changeset.findall("tag")}


def _capabilities() -> bytes:
    api = ET.Element("api")
    ET.SubElement(api, "version", {"minimum": "0.6", "maximum": "0.6"})
    ET.SubElement(api, "area", {"maximum": "0.25"})
    ET.SubElement(api, "waynodes", {"maximum": "2000"})
    ET.SubElement(api, "relationmembers", {"maximum": "32000"})
    ET.SubElement(api, "changesets", {"maximum_elements": "10000", "default_query_limit": "100",
                                      "maximum_query_limit": "100"})
    ET.SubElement(api, "timeout", {"seconds": "300"})
    ET.SubElement(api, "status", {"database": "online", "api": "online", "gpx": "online"})
    return document([api])


__all__ = ["MAPPER", "USER", "OsmApiEmulator", "RecordedRequest"]
