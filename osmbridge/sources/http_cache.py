"""Conditional requests for city portals: an answer is kept with its validators (ETag, Last-Modified),
the next request for the same URL sends If-None-Match / If-Modified-Since, and a 304 reuses the copy.

Portals that send neither validator are simply asked again. One body file and one metadata file per
URL (named by its SHA-256, so a token in the URL never appears in a file name), written atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # requests loads in a tenth of a second: only a run that downloads pays for it
    import requests

log = logging.getLogger(__name__)
_KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified")


class ConditionalCache:
    """The last answer of each URL with its validators, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def validators(self, url: str) -> dict[str, str]:
        """The conditional headers to send for `url` (none when nothing is kept)."""
        meta = self._meta(url)
        if meta is None or not self._body_path(url).exists():
            return {}
        headers = {}
        if meta.get("ETag"):
            headers["If-None-Match"] = meta["ETag"]
        if meta.get("Last-Modified"):
            headers["If-Modified-Since"] = meta["Last-Modified"]
        return headers

    def replay(self, url: str, not_modified: requests.Response) -> requests.Response | None:
        """The kept answer of `url` as a 200 response, after the server said 304 (None: nothing kept)."""
        meta = self._meta(url)
        try:
            body = self._body_path(url).read_bytes()
        except OSError:
            return None
        if meta is None:
            return None
        import requests
        from requests.structures import CaseInsensitiveDict

        response = requests.Response()
        response.status_code, response.reason, response.url = 200, "OK (not modified since the kept copy)", url
        response.headers = CaseInsensitiveDict({k: v for k, v in meta.items() if k in _KEPT_HEADERS})
        response._content = body
        response.encoding = not_modified.encoding
        response.request = not_modified.request
        log.debug("%s: not modified, the kept copy is used", url)
        return response

    def keep(self, url: str, response: requests.Response) -> None:
        """Keep a 200 answer that carries a validator."""
        meta = {name: response.headers[name] for name in _KEPT_HEADERS if response.headers.get(name)}
        if not ("ETag" in meta or "Last-Modified" in meta):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(self._body_path(url), response.content)
        _write_atomically(self._meta_path(url), json.dumps(meta).encode("utf-8"))

    def _meta(self, url: str) -> dict[str, str] | None:
        try:
            meta = json.loads(self._meta_path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def _key(self, url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def _body_path(self, url: str) -> Path:
        return self.folder / f"{self._key(url)}.body"

    def _meta_path(self, url: str) -> Path:
        return self.folder / f"{self._key(url)}.json"


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
