"""HTTP for city sources: one polite session, and failures turned into SourceError naming the URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from osmbridge import __version__
from osmbridge.errors import SourceError
from osmbridge.redact import redact
from osmbridge.sources.http_cache import ConditionalCache
from osmbridge.sources.encoding import decode, read_text

if TYPE_CHECKING:  # requests is loaded when something is downloaded, not to read a local file
    import requests

USER_AGENT = f"osmbridge/{__version__} (city open data and OpenStreetMap sync)"
_ADVICE = {
    401: "The data is not public; ask its publisher to open it.",
    403: "The data is not public; ask its publisher to open it.",
    404: "Check the address in the source spec.",
}


def is_url(location: str) -> bool:
    """Say whether a source location is a web address rather than a file path."""
    return location.strip().lower().startswith(("http://", "https://"))


def read_location(location: str, encoding: str | None, timeout_s: float, http_cache: str | None = None,
                  contact: str | None = None) -> tuple[str, str]:
    """Return (name for messages, text) of a source location: a file path or an http(s) URL."""
    if is_url(location):
        url = location.strip()
        with http_session(http_cache, contact) as session:
            response = http_get(session, url, {}, timeout_s)
        return redact(url), decode(response.content, redact(url), encoding)
    path = Path(location)
    return str(path), read_text(path, encoding)


def http_session(http_cache: str | None = None, contact: str | None = None) -> requests.Session:
    """Return a session that names osmbridge (and `contact`), retries what is worth retrying, and with a
    cache folder makes conditional requests (ETag / Last-Modified)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT.replace(")", f"; contact: {contact})") if contact else USER_AGENT})
    if http_cache:
        session.conditional_cache = ConditionalCache(Path(http_cache))  # type: ignore[attr-defined]
    # Portals answer 429 under load and 502-504 behind their proxies: worth a few polite retries.
    # Timeouts and refused connections are retried once only: they tend to last.
    retry = Retry(total=3, connect=1, read=1, backoff_factor=1.0, status_forcelist=(429, 502, 503, 504),
                  allowed_methods={"GET"}, raise_on_status=False, respect_retry_after_header=True)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def http_get(session: requests.Session, url: str, params: Mapping[str, Any], timeout_s: float,
             advice: Mapping[int, str] | None = None) -> requests.Response:
    """GET `url`; return the 200 response, else SourceError with the full URL, status and what to do."""
    import requests

    full = full_url(url, params)
    cache: ConditionalCache | None = getattr(session, "conditional_cache", None)
    requested = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}" if params else url
    conditions = cache.validators(requested) if cache else {}
    try:
        response = session.get(url, params=dict(params), timeout=timeout_s, headers=conditions)
    except (requests.Timeout, requests.ConnectionError) as error:
        if isinstance(error, requests.Timeout) or _timed_out(error):
            raise SourceError(f"{full}: no answer within {timeout_s:g} s. The server may be slow or down; "
                              "retry later or raise timeout_s in the source spec.") from None
        raise SourceError(f"{full}: cannot connect ({_reason(error)}). Check the address and the network.") from None
    except requests.RequestException as error:
        raise SourceError(f"{full}: request failed ({error}). Check the address in the source spec.") from None
    if response.status_code == 304 and cache is not None:
        kept = cache.replay(requested, response)
        if kept is not None:
            return kept
    if response.status_code == 200 and cache is not None:
        cache.keep(requested, response)
    if response.status_code != 200:
        hint = {**_ADVICE, **(advice or {})}.get(response.status_code)
        if hint is None:
            hint = "The server failed; retry later." if response.status_code >= 500 else "Check the source spec."
        raise SourceError(f"{full}: HTTP {response.status_code} {response.reason}{_server_message(response)}. "
                          f"{hint}")
    return response


def full_url(url: str, params: Mapping[str, Any]) -> str:
    """The URL with its query string (secrets hidden: it is shown in messages and records' origins)."""
    return redact(f"{url}{'&' if '?' in url else '?'}{urlencode(params)}" if params else url)


def _server_message(response: requests.Response) -> str:
    """The server's own explanation (Opendatasoft: {"error_code", "message"}), when it gave one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict) and body.get("message"):
        code = f"{body['error_code']}: " if body.get("error_code") else ""
        return f" ({code}{body['message']})"
    return ""


def _timed_out(error: requests.RequestException) -> bool:
    """Read timeouts that exhausted the retries come back as a ConnectionError wrapping the timeout."""
    from urllib3.exceptions import ReadTimeoutError

    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, ReadTimeoutError)


def _reason(error: requests.RequestException) -> str:
    text = str(error.args[0] if error.args else error)
    return text.rsplit(": ", 1)[-1].rstrip(")'\"") or "connection refused"
