"""The notes endpoints of the OSM API 0.6 over HTTP: read in a box, search, read one, create, comment.

osmapi 6 covers notes in XML only, without the box of `/notes/search` nor the Retry-After of a 429,
so this speaks HTTP with requests; `formats` reads both answer formats. A 429 is never slept on here:
it raises `NotesRateLimited` with the server's Retry-After, and the caller decides (a run keeps the
notes it knew, a reviewer is told when to try again). The token rides in an Authorization header and
never in a message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Literal

import requests

from osmbridge.errors import OsmbridgeError
from osmbridge.model import OsmNote
from osmbridge.osm_notes.formats import parse_notes

NotesFormat = Literal["json", "xml"]
BBox = tuple[float, float, float, float]  # west, south, east, north (the API's order)
MAX_QUERY_LIMIT = 10_000  # the API refuses a `limit` above this
log = logging.getLogger(__name__)


class NotesApiError(OsmbridgeError):
    """The notes API refused a request, or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotesRateLimited(NotesApiError):
    """HTTP 429: the server asks to wait `retry_after_s` seconds before the next request."""

    def __init__(self, message: str, retry_after_s: float | None) -> None:
        super().__init__(message, 429)
        self.retry_after_s = retry_after_s


class NotesTokenRefused(NotesApiError):
    """HTTP 401/403 on a write: the token is unknown, revoked, or lacks the write_notes scope."""


class NoteHidden(NotesApiError):
    """HTTP 410: a moderator hid the note."""


class NotesTokenMissing(OsmbridgeError):
    """A write asked for without a token: osmbridge signs the notes it writes."""


class NotesApi:
    """One OSM API server's notes endpoints (`api_url` like https://api.openstreetmap.org)."""

    def __init__(self, api_url: str, *, user_agent: str, token: str | None = None, timeout_s: float = 30.0,
                 answer_format: NotesFormat = "json", pause_s: float = 0.0,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_url = api_url.rstrip("/")
        self.timeout_s, self.pause_s, self._sleep = timeout_s, pause_s, sleep
        self._ext = ".json" if answer_format == "json" else ""
        self._token = token
        self._session = session or requests.Session()
        self._user_agent = user_agent
        self._last_request: float | None = None

    @property
    def signed(self) -> bool:
        """Whether writes are signed with a token."""
        return bool(self._token)

    def notes_in_bbox(self, bbox: BBox, *, limit: int = 1000, closed_days: int = 7) -> list[OsmNote]:
        """Return the notes in `bbox`: open ones, and those closed in the last `closed_days` days (-1: all)."""
        return self._read("GET", f"/api/0.6/notes{self._ext}", {
            "bbox": _bbox_text(bbox), "limit": str(min(limit, MAX_QUERY_LIMIT)), "closed": str(closed_days)})

    def search(self, *, bbox: BBox | None = None, text: str | None = None, closed_days: int = 0,
               limit: int = 100) -> list[OsmNote]:
        """Return the notes matching a search (`/notes/search`): in a box, with words; open only by default."""
        params = {"closed": str(closed_days), "limit": str(min(limit, MAX_QUERY_LIMIT))}
        if bbox is not None:
            params["bbox"] = _bbox_text(bbox)
        if text:
            params["q"] = text
        return self._read("GET", f"/api/0.6/notes/search{self._ext}", params)

    def note(self, note_id: int) -> OsmNote:
        """Return one note; NoteHidden when a moderator hid it."""
        return self._one("GET", f"/api/0.6/notes/{note_id}{self._ext}", {})

    def create(self, lon: float, lat: float, text: str) -> OsmNote:
        """Open a note at (lon, lat), signed with the token; return it as the server made it."""
        self._require_token("open a note")
        return self._one("POST", f"/api/0.6/notes{self._ext}", {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
                                                               "text": text})

    def comment(self, note_id: int, text: str) -> OsmNote:
        """Add a comment to an open note, signed with the token; return the note."""
        self._require_token("comment on a note")
        return self._one("POST", f"/api/0.6/notes/{note_id}/comment{self._ext}", {"text": text})

    # --- HTTP ----------------------------------------------------------------------------------

    def _require_token(self, what: str) -> None:
        if not self._token:
            raise NotesTokenMissing(
                f"osmbridge needs an OSM token with the write_notes scope to {what}: set OSMBRIDGE_OSM_TOKEN or "
                "[osm_notes] token_file (anonymous notes are possible on OSM, but a city signs what it writes)")

    def _one(self, method: str, path: str, params: dict[str, str]) -> OsmNote:
        notes = self._read(method, path, params)
        if len(notes) != 1:
            raise NotesApiError(f"{self.api_url}{path}: expected one note in the answer, got {len(notes)}")
        return notes[0]

    def _read(self, method: str, path: str, params: dict[str, str]) -> list[OsmNote]:
        if self.pause_s and self._last_request is not None:
            # One request at a time, a pause between them: the API is a shared service.
            wait = self._last_request + self.pause_s - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        headers = {"User-Agent": self._user_agent}
        if self._token and method != "GET":
            headers["Authorization"] = f"Bearer {self._token}"
        url = self.api_url + path
        try:
            if method == "GET":
                response = self._session.get(url, params=params, headers=headers, timeout=self.timeout_s)
            else:  # Rails reads a form body like the query string; the text stays out of access logs
                response = self._session.request(method, url, data=params, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as error:
            raise NotesApiError(f"cannot reach the OSM notes API at {self.api_url} ({error.__class__.__name__}); "
                                "check [osm_notes] api_url and the network") from None
        finally:
            self._last_request = time.monotonic()
        if response.status_code != 200:
            raise _refusal(url, response, method)
        return parse_notes(response.content, response.headers.get("Content-Type", ""))


def _refusal(url: str, response: requests.Response, method: str) -> NotesApiError:
    detail = (response.headers.get("Error") or response.text or response.reason or "").strip().splitlines()
    said = f": {detail[0][:300]}" if detail else ""
    status = response.status_code
    if status == 429:
        retry_after = _seconds(response.headers.get("Retry-After"))
        wait = f"; it asks to wait {retry_after:.0f} s" if retry_after is not None else ""
        return NotesRateLimited(f"the OSM notes API at {url} refused: too many requests (HTTP 429){wait}. "
                                "Try again later", retry_after)
    if status == 410:
        return NoteHidden(f"{url}: the note was hidden by a moderator (HTTP 410)", status)
    if status in (401, 403) and method != "GET":
        return NotesTokenRefused(f"the OSM notes API at {url} refused the token (HTTP {status}{said}): it must be "
                                 "valid and hold the write_notes scope; get a new one with `osmbridge osm login`",
                                 status)
    return NotesApiError(f"the OSM notes API at {url} answered HTTP {status}{said}", status)


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _bbox_text(bbox: BBox) -> str:
    return ",".join(f"{v:.7f}" for v in bbox)
