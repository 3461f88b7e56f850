"""The OSM API 0.6 as the push stage uses it: osmapi for reads and changesets, our own diff upload.

osmapi 6 reads elements and opens changesets through the caller's `requests.Session` (which carries
the OAuth2 Bearer token). The osmChange is posted through the same session and its diffResult parsed
here: osmapi's `changeset_upload` assigns wrong ids on mixed uploads, and it retries server errors,
which for an upload could apply it twice. An upload's outcome is one of: the diffResult; a refusal
(409 version mismatch or closed changeset, 412 precondition, 410 gone) naming the element when the
server does; or "unknown" (the connection dropped, the server failed): then the changeset is read
back to learn what happened. 429 (rate limited) waits (Retry-After, else exponential) and retries.
"""

from __future__ import annotations

import math
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import osmapi
import requests
from osmapi import errors as osmapi_errors

from osmbridge import __version__
from osmbridge.errors import OsmbridgeError
from osmbridge.model import OsmType
from osmbridge.osm.api_elements import TYPE_KEYS, TYPE_NAMES, ApiElement, from_osmapi, parse_key
from osmbridge.plan.osc import DiffResultEntry, DiffResultError, parse_diff_result

CREATED_BY = f"osmbridge/{__version__}"
READ_CHUNK = 200  # ids per multi-fetch request: keeps the URL short
T = TypeVar("T")

RejectionKind = Literal["version", "closed", "precondition", "gone", "other"]
_ELEMENT_PATTERNS = (
    re.compile(r"server had: \d+ of (Node|Way|Relation) (\d+)", re.IGNORECASE),
    re.compile(r"(Node|Way|Relation) (?:with id )?(\d+)", re.IGNORECASE),
    re.compile(r"The (node|way|relation) with the id (\d+)", re.IGNORECASE),
)


class OsmApiProblem(OsmbridgeError):
    """The OSM API cannot be used now (unreachable, rate limited for too long, refused our token)."""


class UploadRejected(Exception):
    """The server refused an upload; nothing of it was applied (uploads are atomic)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status, self.message = status, message
        self.kind: RejectionKind = _rejection_kind(status, message)
        self.element_key: str | None = _element_key(message) if self.kind != "closed" else None


class UploadUnknown(Exception):
    """The upload's fate is unknown (the connection dropped, the server failed): read the changeset back."""


@dataclass(frozen=True, slots=True)
class Downloaded:
    """One element version a changeset holds, read back from /changeset/#id/download."""

    action: str  # create | modify | delete
    element: ApiElement


def bearer_session(token: str, user_agent: str = CREATED_BY) -> requests.Session:
    """A requests.Session that sends the OAuth2 token as `Authorization: Bearer` on every request."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.headers["User-Agent"] = user_agent
    return session


class OsmApiClient:
    """Reads, changesets and uploads against one OSM API server (`url` like https://api.openstreetmap.org)."""

    def __init__(self, url: str, session: requests.Session, *, timeout_s: float = 60.0, retries: int = 5,
                 backoff_s: float = 10.0, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url.rstrip("/")
        self.session = session
        self.timeout_s, self.retries, self.backoff_s, self.sleep = timeout_s, retries, backoff_s, sleep
        self.api = self._osmapi()

    def _osmapi(self) -> osmapi.OsmApi:
        # One OsmApi per changeset: osmapi remembers a single open changeset per instance.
        return osmapi.OsmApi(api=self.url, session=self.session, created_by=CREATED_BY, timeout=int(self.timeout_s))

    # --- reads -----------------------------------------------------------------------------------

    def read_elements(self, keys: Iterable[str]) -> dict[str, ApiElement | None]:
        """The current version of each element ("n1", "w2"...); None for one deleted or never existing."""
        by_type: dict[OsmType, list[int]] = {}
        for key in sorted(set(keys)):
            kind, element_id = parse_key(key)
            by_type.setdefault(kind, []).append(element_id)
        found: dict[str, ApiElement | None] = {}
        for kind, ids in by_type.items():
            for start in range(0, len(ids), READ_CHUNK):
                chunk = ids[start:start + READ_CHUNK]
                found.update(self._read_chunk(kind, chunk))
        return found

    def _read_chunk(self, kind: OsmType, ids: list[int]) -> dict[str, ApiElement | None]:
        fetch = {"n": self.api.nodes_get, "w": self.api.ways_get, "r": self.api.relations_get}[kind]
        try:
            data = self._call(lambda: fetch(ids))
        except osmapi_errors.ElementNotFoundApiError:
            # One id of the chunk never existed (or was purged): read them one by one.
            return {f"{kind}{i}": self._read_one(kind, i) for i in ids}
        result: dict[str, ApiElement | None] = {}
        for element_id in ids:
            item = data.get(element_id)
            element = from_osmapi(kind, item) if item else None
            result[f"{kind}{element_id}"] = element if element is not None and element.visible else None
        return result

    def _read_one(self, kind: OsmType, element_id: int) -> ApiElement | None:
        get = {"n": self.api.node_get, "w": self.api.way_get, "r": self.api.relation_get}[kind]
        try:
            return from_osmapi(kind, self._call(lambda: get(element_id)))
        except (osmapi_errors.ElementNotFoundApiError, osmapi_errors.ElementDeletedApiError):
            return None

    def read_around(self, lon: float, lat: float, radius_m: float) -> list[ApiElement]:
        """Every element /api/0.6/map returns for a small square around a point."""
        dlat = radius_m / 111_320.0
        dlon = dlat / max(0.01, math.cos(math.radians(lat)))
        items = self._call(lambda: self.api.map(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
        return [from_osmapi(TYPE_KEYS[item["type"]], item["data"]) for item in items]

    def download_changeset(self, changeset_id: int) -> list[Downloaded]:
        """What a changeset holds, from /api/0.6/changeset/#id/download."""
        items = self._call(lambda: self.api.changeset_download(changeset_id))
        return [Downloaded(item["action"], from_osmapi(TYPE_KEYS[item["type"]], item["data"])) for item in items]

    def changeset_is_open(self, changeset_id: int) -> bool:
        return bool(self._call(lambda: self.api.changeset_get(changeset_id)).get("open"))

    def own_open_changesets(self) -> dict[int, dict[str, object]]:
        """The token owner's open changesets: id -> {"tags": ..., "changes": n}."""
        response = self.session.get(f"{self.url}/api/0.6/user/details", timeout=self.timeout_s)
        if response.status_code != 200:
            raise OsmApiProblem(_auth_problem(response.status_code))
        user = ET.fromstring(response.content).find("user")
        if user is None:
            raise OsmApiProblem(f"OSM API {self.url}: /user/details names no user")
        uid = int(user.get("id", "0"))

        def open_ones() -> dict[int, dict[str, Any]]:
            try:
                return self.api.changesets_get(userid=uid, only_open=True)
            except osmapi_errors.XmlResponseInvalidError:  # what osmapi makes of an empty list
                return {}

        found = self._call(open_ones)
        return {int(i): {"tags": dict(c.get("tag", {})), "changes": int(c.get("changes_count", 0) or 0)}
                for i, c in found.items()}

    # --- writes ----------------------------------------------------------------------------------

    def open_changeset(self, tags: Mapping[str, str]) -> int:
        """Open a changeset with `tags`; return its id."""
        api = self._osmapi()
        return self._call(lambda: api.changeset_create(dict(tags)))

    def close_changeset(self, changeset_id: int) -> None:
        """Close a changeset; one already closed (by us, or by the server after an hour) is fine."""
        response = self._send("PUT", f"/api/0.6/changeset/{changeset_id}/close", b"")
        if response.status_code == 409 and "closed" in response.text:
            return
        if response.status_code != 200:
            raise OsmApiProblem(f"closing changeset {changeset_id}: HTTP {response.status_code}: "
                                f"{response.text.strip()[:300]}")

    def upload(self, changeset_id: int, osc: bytes) -> list[DiffResultEntry]:
        """Post an osmChange to a changeset; return the server's diffResult (UploadRejected, UploadUnknown)."""
        try:
            response = self._send("POST", f"/api/0.6/changeset/{changeset_id}/upload", osc,
                                  content_type="text/xml; charset=utf-8")
        except requests.RequestException as error:
            raise UploadUnknown(f"no answer to the upload into changeset {changeset_id}: "
                                f"{error.__class__.__name__}") from None
        if response.status_code == 200:
            try:
                return parse_diff_result(response.content)
            except DiffResultError as error:
                raise UploadUnknown(f"changeset {changeset_id}: {error}") from None
        if response.status_code in (400, 404, 409, 410, 412):
            raise UploadRejected(response.status_code, response.text.strip())
        if response.status_code in (401, 403):
            raise OsmApiProblem(_auth_problem(response.status_code))
        raise UploadUnknown(f"changeset {changeset_id}: HTTP {response.status_code}")

    # --- plumbing --------------------------------------------------------------------------------

    def _send(self, method: str, path: str, body: bytes, content_type: str = "text/xml") -> requests.Response:
        """One write through the session; 429 waits and retries (the request was not processed)."""
        for attempt in range(self.retries + 1):
            response = self.session.request(method, self.url + path, data=body, timeout=self.timeout_s,
                                            headers={"Content-Type": content_type})
            if response.status_code != 429:
                return response
            if attempt == self.retries:
                break
            self.sleep(_retry_after(response.headers.get("Retry-After"), self.backoff_s * 2 ** attempt))
        raise OsmApiProblem(f"the OSM API still refuses requests as too many (HTTP 429) after {self.retries} "
                            "waits; run the push again later: what was not uploaded stays accepted")

    def _call(self, call: Callable[[], T]) -> T:
        """An osmapi call; 429 waits and retries, other errors become a message for the operator."""
        for attempt in range(self.retries + 1):
            try:
                return call()
            except (osmapi_errors.ElementNotFoundApiError, osmapi_errors.ElementDeletedApiError):
                raise
            except osmapi_errors.ConnectionApiError as error:
                # osmapi says "HTTP 0" with an empty body: no server answered at all.
                raise OsmApiProblem(f"cannot reach the OSM API at {self.url} ({_connection_reason(error.reason)}); "
                                    "check the network and [osm_api] url (a dry run reads the elements there "
                                    "too); nothing was sent") from None
            except osmapi_errors.ApiError as error:
                if error.status == 429 and attempt < self.retries:
                    self.sleep(self.backoff_s * 2 ** attempt)
                    continue
                if error.status in (401, 403):
                    raise OsmApiProblem(_auth_problem(error.status)) from None
                if error.status == 429:
                    raise OsmApiProblem(f"the OSM API still refuses requests as too many (HTTP 429) after "
                                        f"{self.retries} waits; run the push again later") from None
                raise OsmApiProblem(f"OSM API {self.url}: HTTP {error.status} {error.reason}: "
                                    f"{error.payload_str.strip()[:300]}") from None
            except osmapi_errors.OsmApiError as error:
                raise OsmApiProblem(f"OSM API {self.url}: {error.__class__.__name__}: {error}") from None
        raise AssertionError("unreachable")  # pragma: no cover


def _connection_reason(reason: str) -> str:
    """The last words of a requests connection error ("Name or service not known", "Connection refused")."""
    found = re.findall(r"\[Errno -?\d+\] ([^'\")\]]+)", reason)
    return found[-1].strip() if found else reason.removeprefix("Connection error: ")[:200]


def _retry_after(header: str | None, default_s: float) -> float:
    try:
        return max(0.0, float(header)) if header else default_s
    except ValueError:
        return default_s


def _auth_problem(status: int) -> str:
    return (f"the OSM API refused the token (HTTP {status}). Get a new one with `osmbridge osm login`, or set "
            "OSMBRIDGE_OSM_TOKEN; the token needs the write_api scope")


def _rejection_kind(status: int, message: str) -> RejectionKind:
    if status == 409 and re.search(r"changeset \d+ was closed", message, re.IGNORECASE):
        return "closed"
    if status == 409 and message.lower().startswith("version mismatch"):
        return "version"
    if status == 412:
        return "precondition"
    if status in (404, 410):
        return "gone"
    return "other"


def _element_key(message: str) -> str | None:
    """The element a refusal names ("... of Node 123" -> "n123"), when it names one."""
    for pattern in _ELEMENT_PATTERNS:
        found = pattern.search(message)
        if found:
            return f"{found.group(1)[0].lower()}{found.group(2)}"
    return None


__all__ = ["CREATED_BY", "TYPE_NAMES", "Downloaded", "OsmApiClient", "OsmApiProblem", "UploadRejected",
           "UploadUnknown", "bearer_session"]
