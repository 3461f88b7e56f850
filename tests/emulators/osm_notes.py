"""A loopback OSM API 0.6 notes server (what api.openstreetmap.org answers about notes), for tests.

    with OsmNotesEmulator() as osm:
        osm.add_token("secret", uid=42, name="Ville de Bourg", scopes=("write_notes",))
        note = osm.add_note(-1.55, 47.21, "The library is closed", user="anne")

It serves, in XML (the default, or `.xml`) and GeoJSON (`.json`), with the real server's shapes:
  GET    /api/0.6/notes?bbox=W,S,E,N&limit=&closed=     notes in a box, newest update first; 400 when the box is
                                                      larger than `max_area` square degrees or `limit` is outside
                                                      1..10000; `closed`: 0 open only, N open and closed in the
                                                      last N days (default 7), -1 all but hidden
  GET    /api/0.6/notes/search?q=&bbox=&closed=&limit=&display_name=&user=&from=&to=&sort=&order=
  GET    /api/0.6/notes/{id}                          410 once hidden
  POST   /api/0.6/notes?lat=&lon=&text=               anonymous, or signed with "Authorization: Bearer <token>"
  POST   /api/0.6/notes/{id}/comment|close|reopen     signed; 409 on a closed note (comment, close) or an open one
                                                      (reopen)
  DELETE /api/0.6/notes/{id}                          hide (a moderator's token)
  GET    /api/0.6/capabilities[.json]                 note_area maximum, notes query limits
Parameters come in the query string or a form body, like Rails reads them. A token must be known (401)
and hold `write_notes` to write (403). `fail_next(429, ...)` answers the next matching requests with that
status (and a Retry-After); `max_creations` makes creations past that count answer 429. Every request is
kept in `requests` as (method, path, query parameters); created notes in `created`.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from emulators.loopback import LoopbackServer

_ROOT = ('<osm version="0.6" generator="OpenStreetMap server" copyright="OpenStreetMap and contributors" '
         'attribution="http://www.openstreetmap.org/copyright" license="http://opendatacommons.org/licenses/odbl/1-0/">')
_WEB = "https://www.openstreetmap.org"
_Answer = tuple[int, str, str, dict[str, str]]  # status, content type, body, extra headers


@dataclass
class _Comment:
    date: datetime
    action: str
    text: str | None
    uid: int | None = None
    user: str | None = None


@dataclass
class _Note:
    id: int
    lon: float
    lat: float
    created_at: datetime
    status: str = "open"
    closed_at: datetime | None = None
    comments: list[_Comment] = field(default_factory=list)

    @property
    def updated_at(self) -> datetime:
        return max([self.created_at] + [c.date for c in self.comments])


@dataclass
class _Token:
    uid: int
    name: str
    scopes: frozenset[str]
    moderator: bool = False


class _Refusal(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class OsmNotesEmulator:
    """A threaded HTTP server on 127.0.0.1 serving the notes API; use as a context manager."""

    def __init__(self, *, max_area: float = 25.0, clock: Callable[[], datetime] | None = None) -> None:
        self.max_area = max_area
        self.clock = clock or (lambda: datetime.now(UTC).replace(microsecond=0))
        self.notes: dict[int, _Note] = {}
        self.tokens: dict[str, _Token] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.created: list[int] = []
        self.max_creations: int | None = None
        self.anonymous_allowed = True
        self._failures: list[tuple[int, str, str, int]] = []  # (status, method, path prefix, retry_after_s)
        self._next_id = 1000
        self._lock = threading.Lock()
        self._loopback = LoopbackServer(self._handler_class())

    @property
    def base_url(self) -> str:
        return self._loopback.url

    def __enter__(self) -> OsmNotesEmulator:
        self._loopback.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loopback.stop()

    # --- what tests set up and look at ---------------------------------------------------------

    def add_token(self, token: str, *, uid: int, name: str, scopes: Sequence[str] = ("write_notes",),
                  moderator: bool = False) -> None:
        self.tokens[token] = _Token(uid, name, frozenset(scopes), moderator)

    def add_note(self, lon: float, lat: float, text: str, *, user: str | None = "mapper", uid: int | None = 7,
                 at: datetime | None = None) -> int:
        """A note opened by someone else (not through the API); return its id."""
        with self._lock:
            return self._create(lon, lat, text, uid if user else None, user, at or self.clock()).id

    def comment(self, note_id: int, text: str, *, user: str = "mapper", uid: int = 7, at: datetime | None = None
                ) -> None:
        with self._lock:
            self.notes[note_id].comments.append(_Comment(at or self.clock(), "commented", text, uid, user))

    def close(self, note_id: int, text: str | None = None, *, user: str = "mapper", uid: int = 7,
              at: datetime | None = None) -> None:
        with self._lock:
            note = self.notes[note_id]
            note.status, note.closed_at = "closed", at or self.clock()
            note.comments.append(_Comment(note.closed_at, "closed", text, uid, user))

    def reopen(self, note_id: int, text: str | None = None, *, user: str = "mapper", uid: int = 7) -> None:
        with self._lock:
            note = self.notes[note_id]
            note.status, note.closed_at = "open", None
            note.comments.append(_Comment(self.clock(), "reopened", text, uid, user))

    def hide(self, note_id: int) -> None:
        with self._lock:
            note = self.notes[note_id]
            note.status = "hidden"
            note.comments.append(_Comment(self.clock(), "hidden", None, 1, "moderator"))

    def fail_next(self, status: int, *, count: int = 1, method: str = "", path: str = "/api/0.6/notes",
                  retry_after_s: int = 60) -> None:
        """Answer the next `count` requests of `method` (any when "") under `path` with `status`."""
        with self._lock:
            self._failures.extend([(status, method, path, retry_after_s)] * count)

    def open_notes(self) -> list[int]:
        return sorted(n.id for n in self.notes.values() if n.status == "open")

    def requests_of(self, method: str, path_start: str = "/api/0.6/notes") -> list[tuple[str, str, dict[str, str]]]:
        return [r for r in self.requests if r[0] == method and r[1].startswith(path_start)]

    # --- protocol ------------------------------------------------------------------------------

    def _create(self, lon: float, lat: float, text: str, uid: int | None, user: str | None, at: datetime) -> _Note:
        self._next_id += 1
        note = _Note(self._next_id, lon, lat, at, comments=[_Comment(at, "opened", text, uid, user)])
        self.notes[note.id] = note
        return note

    def _take_failure(self, method: str, path: str) -> tuple[int, int] | None:
        for index, (status, wanted_method, prefix, retry_after) in enumerate(self._failures):
            if (not wanted_method or wanted_method == method) and path.startswith(prefix):
                del self._failures[index]
                return status, retry_after
        return None

    def _user(self, headers: Any, *, required: bool, write: bool) -> _Token | None:
        value = headers.get("Authorization", "")
        if not value:
            if required:
                raise _Refusal(401, "Couldn't authenticate you")
            return None
        scheme, _, token = value.partition(" ")
        known = self.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if known is None:
            raise _Refusal(401, "Couldn't authenticate you")
        if write and "write_notes" not in known.scopes:
            raise _Refusal(403, "The request requires higher privileges than provided by the access token.")
        return known

    def handle(self, method: str, path: str, params: dict[str, str], headers: Any) -> _Answer:
        """Answer one request: (status, content type, body, extra headers)."""
        with self._lock:
            self.requests.append((method, path, dict(params)))
            failure = self._take_failure(method, path)
            if failure is not None:
                status, retry_after = failure
                return status, "text/plain; charset=utf-8", "Too Many Requests" if status == 429 else "Error", \
                    {"Retry-After": str(retry_after)} if status == 429 else {}
            try:
                return self._route(method, path, params, headers)
            except _Refusal as refusal:
                return refusal.status, "text/plain; charset=utf-8", refusal.message, \
                    {"Error": refusal.message, **refusal.headers}

    def _route(self, method: str, path: str, params: dict[str, str], headers: Any) -> _Answer:
        base, _, ext = path.rpartition(".") if path.endswith((".json", ".xml")) else (path, "", "xml")
        parts = base.strip("/").split("/")
        if parts[:2] != ["api", "0.6"]:
            raise _Refusal(404, "not found")
        rest = parts[2:]
        if rest == ["capabilities"]:
            return self._capabilities(ext)
        if not rest or rest[0] != "notes":
            raise _Refusal(404, "not found")
        if rest == ["notes"] and method == "GET":
            return self._list(self._in_bbox(self._closed(params), _bbox(params, self.max_area, required=True)),
                              params, ext)
        if rest == ["notes", "search"] and method == "GET":
            return self._list(self._search(params), params, ext)
        if rest == ["notes"] and method == "POST":
            return self._open(params, headers, ext)
        if len(rest) >= 2 and rest[1].isdigit():
            note = self.notes.get(int(rest[1]))
            if note is None:
                raise _Refusal(404, "")
            if len(rest) == 2 and method == "GET":
                if note.status == "hidden":
                    raise _Refusal(410, f"The note with the id {note.id} has already been deleted")
                return 200, *self._render([note], ext, single=True), {}
            if len(rest) == 2 and method == "DELETE":
                user = self._user(headers, required=True, write=True)
                assert user is not None
                if not user.moderator:
                    raise _Refusal(403, "You are not a moderator")
                note.status = "hidden"
                note.comments.append(_Comment(self.clock(), "hidden", params.get("text"), user.uid, user.name))
                return 200, *self._render([note], ext, single=True), {}
            if len(rest) == 3 and method == "POST" and rest[2] in ("comment", "close", "reopen"):
                return self._act(note, rest[2], params, headers, ext)
        raise _Refusal(404, "not found")

    def _capabilities(self, ext: str) -> _Answer:
        if ext == "json":
            body = json.dumps({"version": "0.6", "api": {"note_area": {"maximum": self.max_area},
                                                         "notes": {"default_query_limit": 100,
                                                                   "maximum_query_limit": 10000}}})
            return 200, "application/json; charset=utf-8", body, {}
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n{_ROOT}<api><note_area maximum="{self.max_area:g}"/>'
                '<notes default_query_limit="100" maximum_query_limit="10000"/></api></osm>')
        return 200, "application/xml; charset=utf-8", body, {}

    def _closed(self, params: dict[str, str]) -> list[_Note]:
        try:
            days = int(params.get("closed", "7"))
        except ValueError:
            days = 0
        now = self.clock()
        if days < 0:
            return [n for n in self.notes.values() if n.status != "hidden"]
        if days > 0:
            return [n for n in self.notes.values() if n.status == "open" or (
                n.status == "closed" and n.closed_at is not None and n.closed_at > now - timedelta(days=days))]
        return [n for n in self.notes.values() if n.status == "open"]

    @staticmethod
    def _in_bbox(notes: list[_Note], bbox: tuple[float, float, float, float] | None) -> list[_Note]:
        if bbox is None:
            return notes
        west, south, east, north = bbox
        return [n for n in notes if west <= n.lon <= east and south <= n.lat <= north]

    def _search(self, params: dict[str, str]) -> list[_Note]:
        notes = self._in_bbox(self._closed(params), _bbox(params, self.max_area, required=False))
        if params.get("display_name") or params.get("user"):
            wanted_name, wanted_uid = params.get("display_name"), params.get("user")
            notes = [n for n in notes if any((wanted_name and c.user == wanted_name)
                                             or (wanted_uid and str(c.uid) == wanted_uid) for c in n.comments)]
        if params.get("q"):
            words = params["q"].lower().split()
            notes = [n for n in notes if any(all(w in (c.text or "").lower() for w in words) for c in n.comments)]
        sort = "created_at" if params.get("sort") == "created_at" else "updated_at"
        for bound, keep in (("from", lambda t, b: t >= b), ("to", lambda t, b: t <= b)):
            if params.get(bound):
                try:
                    limit = datetime.fromisoformat(params[bound].replace("Z", "+00:00"))
                except ValueError:
                    raise _Refusal(400, f"Date {params[bound]} is in a wrong format") from None
                limit = limit if limit.tzinfo else limit.replace(tzinfo=UTC)
                notes = [n for n in notes if keep(getattr(n, sort), limit)]
        notes.sort(key=lambda n: getattr(n, sort), reverse=params.get("order") != "oldest")
        return notes

    def _list(self, notes: list[_Note], params: dict[str, str], ext: str) -> _Answer:
        try:
            limit = int(params.get("limit", "100"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 10000:
            raise _Refusal(400, "Note limit must be between 1 and 10000")
        if "q" not in params and not any(k in params for k in ("sort", "order")):
            notes = sorted(notes, key=lambda n: n.updated_at, reverse=True)
        return 200, *self._render(notes[:limit], ext), {}

    def _open(self, params: dict[str, str], headers: Any, ext: str) -> _Answer:
        user = self._user(headers, required=not self.anonymous_allowed, write=True)
        for name in ("lat", "lon"):
            if name not in params:
                raise _Refusal(400, f"No {name} was given")
        if not params.get("text", "").strip():
            raise _Refusal(400, "No text was given")
        try:
            lat, lon = float(params["lat"]), float(params["lon"])
        except ValueError:
            raise _Refusal(400, "lat was not a number") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _Refusal(400, "The note is outside this world")
        if self.max_creations is not None and len(self.created) >= self.max_creations:
            raise _Refusal(429, "You have opened too many notes; please wait", {"Retry-After": "3600"})
        note = self._create(lon, lat, params["text"], user.uid if user else None, user.name if user else None,
                            self.clock())
        self.created.append(note.id)
        return 200, *self._render([note], ext, single=True), {}

    def _act(self, note: _Note, action: str, params: dict[str, str], headers: Any,
             ext: str) -> _Answer:
        user = self._user(headers, required=True, write=True)
        assert user is not None
        if note.status == "hidden":
            raise _Refusal(410, f"The note with the id {note.id} has already been deleted")
        now = self.clock()
        if action == "comment":
            if not params.get("text", "").strip():
                raise _Refusal(400, "No text was given")
            if note.status == "closed":
                raise _Refusal(409, f"The note {note.id} was closed at {_ruby(note.closed_at)}")
            note.comments.append(_Comment(now, "commented", params["text"], user.uid, user.name))
        elif action == "close":
            if note.status == "closed":
                raise _Refusal(409, f"The note {note.id} was closed at {_ruby(note.closed_at)}")
            note.status, note.closed_at = "closed", now
            note.comments.append(_Comment(now, "closed", params.get("text"), user.uid, user.name))
        else:
            if note.status == "open":
                raise _Refusal(409, f"The note {note.id} is already open")
            note.status, note.closed_at = "open", None
            note.comments.append(_Comment(now, "reopened", params.get("text"), user.uid, user.name))
        return 200, *self._render([note], ext, single=True), {}

    # --- formats -------------------------------------------------------------------------------

    def _render(self, notes: list[_Note], ext: str, *, single: bool = False) -> tuple[str, str]:
        if ext == "json":
            features = [self._feature(n, ext) for n in notes]
            body = features[0] if single else {"type": "FeatureCollection", "features": features}
            return "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False)
        inner = "".join(self._xml(n, ext) for n in notes)
        return "application/xml; charset=utf-8", f'<?xml version="1.0" encoding="UTF-8"?>\n{_ROOT}\n{inner}</osm>\n'

    def _urls(self, note: _Note, ext: str) -> dict[str, str]:
        suffix = f".{ext}" if ext == "json" else ""
        base = f"{self.base_url}/api/0.6/notes/{note.id}"
        urls = {"url": base + suffix}
        if note.status == "closed":
            urls["reopen_url"] = f"{base}/reopen{suffix}"
        else:
            urls["comment_url"] = f"{base}/comment{suffix}"
            urls["close_url"] = f"{base}/close{suffix}"
        return urls

    def _feature(self, note: _Note, ext: str) -> dict[str, Any]:
        properties: dict[str, Any] = {"id": note.id, **self._urls(note, ext), "date_created": _ruby(note.created_at),
                                      "status": note.status}
        if note.status == "closed":
            properties["closed_at"] = _ruby(note.closed_at)
        comments = []
        for c in note.comments:
            comment: dict[str, Any] = {"date": _ruby(c.date)}
            if c.user is not None:
                comment |= {"uid": c.uid, "user": c.user, "user_url": f"{_WEB}/user/{c.user}"}
            comment["action"] = c.action
            if c.text is not None:
                comment |= {"text": c.text, "html": f"<p>{html.escape(c.text)}</p>"}
            comments.append(comment)
        properties["comments"] = comments
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [note.lon, note.lat]},
                "properties": properties}

    def _xml(self, note: _Note, ext: str) -> str:
        lines = [f'<note lon={quoteattr(f"{note.lon:.7f}")} lat={quoteattr(f"{note.lat:.7f}")}>',
                 f"<id>{note.id}</id>"]
        lines += [f"<{name}>{escape(url)}</{name}>" for name, url in self._urls(note, ext).items()]
        lines += [f"<date_created>{_ruby(note.created_at)}</date_created>", f"<status>{note.status}</status>"]
        if note.status == "closed":
            lines.append(f"<date_closed>{_ruby(note.closed_at)}</date_closed>")
        lines.append("<comments>")
        for c in note.comments:
            lines += ["<comment>", f"<date>{_ruby(c.date)}</date>"]
            if c.user is not None:
                lines += [f"<uid>{c.uid}</uid>", f"<user>{escape(c.user)}</user>",
                          f"<user_url>{escape(_WEB)}/user/{escape(c.user)}</user_url>"]
            lines.append(f"<action>{c.action}</action>")
            if c.text is not None:
                rendered = escape("<p>" + html.escape(c.text) + "</p>")
                lines += [f"<text>{escape(c.text)}</text>", f"<html>{rendered}</html>"]
            lines.append("</comment>")
        lines += ["</comments>", "</note>\n"]
        return "\n".join(lines)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    body = self.rfile.read(length).decode("utf-8")
                    if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                        params |= {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
                status, content_type, text, extra = emulator.handle(method, url.path, params, self.headers)
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _ruby(moment: datetime | None) -> str:
    """A time as the Rails API writes it: "2024-05-01 09:30:00 UTC"."""
    assert moment is not None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _bbox(params: dict[str, str], max_area: float, *, required: bool) -> tuple[float, float, float, float] | None:
    text = params.get("bbox")
    if text is None:
        if required:
            raise _Refusal(400, "The parameter bbox is required")
        return None
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise _Refusal(400, "The parameter bbox must be of the form min_lon,min_lat,max_lon,max_lat") from None
    if west > east:
        raise _Refusal(400, "The minimum longitude must be less than the maximum longitude, but it wasn't")
    if south > north:
        raise _Refusal(400, "The minimum latitude must be less than the maximum latitude, but it wasn't")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise _Refusal(400, "The latitudes must be between -90 and 90, longitudes between -180 and 180 and the "
                            "minima must be less than the maxima, but they weren't")
    if (east - west) * (north - south) > max_area:
        raise _Refusal(400, f"The maximum bbox size is {max_area:g}, and your request was too large. Either request "
                            "a smaller area, or use planet.osm")
    return west, south, east, north
