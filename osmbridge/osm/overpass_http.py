"""Polite HTTP to Overpass servers: one query at a time per server, a pause between queries, the server's
Retry-After and /api/status slots honoured, backoff with jitter on 429/5xx, and quick failures.

Overpass servers are shared by everyone and rate-limit by IP (https://wiki.openstreetmap.org/wiki/Overpass_API
"Commons"): a client should not run queries in parallel, should wait for a free slot rather than hammer,
and should say who it is. A host that does not resolve fails at once; a refused connection is tried
once more only (a server that is down stays down for longer than a run waits).
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import requests
from urllib3.exceptions import NameResolutionError

from osmbridge.errors import OsmSourceError
from osmbridge.redact import redact

log = logging.getLogger(__name__)

# Worth another try: rate limit, gateway timeout, and overloaded proxies.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CONNECT_TIMEOUT_S = 10.0
_SLOTS_NOW = re.compile(r"^(\d+) slots? available now", re.M)
_SLOT_LATER = re.compile(r"^Slot available after: \S+, in (-?\d+) seconds?", re.M)
_RATE_LIMIT = re.compile(r"^Rate limit: (\d+)", re.M)


@dataclass(frozen=True, slots=True)
class Politeness:
    """How hard to try, and how long to wait, when a server is busy."""

    retries: int = 4  # further attempts after the first on 429, 5xx and timeouts
    backoff_s: float = 5.0  # first backoff; doubles each time, with jitter
    pause_s: float = 0.0  # at least this long between two queries to one server
    max_wait_s: float = 600.0  # give up rather than wait longer than this for one slot or Retry-After


class _Server:
    """What this process knows of one server: a lock (one query at a time) and when the last query ended."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_end = float("-inf")


_servers: dict[str, _Server] = {}
_servers_lock = threading.Lock()


def post_query(url: str, query: str, *, user_agent: str, read_timeout_s: float, politeness: Politeness,
               sleep: Callable[[float], None] = time.sleep) -> requests.Response:
    """POST the raw QL to `url` politely; return the 200 response, else OsmSourceError saying what happened."""
    shown = redact(url)
    server = _server(url)
    with server.lock, requests.Session() as session:
        session.headers["User-Agent"] = user_agent
        last_status = "no attempt"
        attempts = politeness.retries + 1
        attempt = 0
        refused = 0
        backoff_s = 0.0
        while attempt < attempts:
            attempt += 1
            # The pause between queries, or the backoff after a failure, whichever is longer.
            sleep(max(backoff_s, server.last_end + politeness.pause_s - time.monotonic(), 0.0))
            backoff_s = 0.0
            if attempt == 1:
                _wait(_slot_wait(session, url) or 0.0, politeness, shown, "for a free slot (/api/status)", sleep)
            try:
                response = session.post(url, data=query.encode("utf-8"),
                                        timeout=(_CONNECT_TIMEOUT_S, read_timeout_s))
            except requests.ConnectionError as error:
                if _unresolvable(error):
                    raise OsmSourceError(f"Overpass {shown}: the host {urlsplit(url).hostname!r} does not resolve. "
                                         "Check overpass_url in config.toml and the machine's DNS.") from None
                if isinstance(error, requests.ConnectTimeout) or _timed_out(error):
                    last_status = f"timed out (no answer within {read_timeout_s:g} s)"
                else:
                    refused += 1
                    last_status = f"connection failed ({_reason(error)})"
                    attempts = min(attempts, 2)  # a server that refuses is down: one more try, not minutes
            except requests.Timeout:
                last_status = f"timed out (no answer within {read_timeout_s:g} s)"
            else:
                server.last_end = time.monotonic()
                if response.status_code not in RETRY_STATUSES:
                    return response
                last_status = f"{response.status_code} {response.reason}".strip()
                # The server says how long: its Retry-After, or after a 429 its next free slot.
                asked_s, why = _retry_after_s(response), "as its Retry-After asks"
                if asked_s is None and response.status_code == 429:
                    asked_s, why = _slot_wait(session, url), "for a free slot (/api/status)"
                if asked_s is not None and attempt < attempts:
                    _wait(asked_s + random.uniform(0, 1), politeness, shown, why, sleep)
                    continue
            server.last_end = time.monotonic()
            if attempt < attempts:
                backoff_s = _backoff_s(politeness.backoff_s, attempt)
                log.info("Overpass %s: %s; retrying in %.1f s (%d/%d)", shown, last_status, backoff_s, attempt,
                         attempts - 1)
    advice = ("The server looks down: try again later, use another Overpass server, or a local extract."
              if refused else "Try again later, use another Overpass server, or a local extract.")
    raise OsmSourceError(f"Overpass {shown}: no answer after {attempt} attempts; last status: {last_status}. {advice}")


def status_url(url: str) -> str:
    """The server's /api/status beside its /api/interpreter."""
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/status"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def slot_wait_s(status_text: str) -> float | None:
    """Seconds until the server has a slot for us, from its /api/status text (0: now; None: cannot tell)."""
    limit = _RATE_LIMIT.search(status_text)
    if limit and limit.group(1) == "0":  # no rate limit on this server
        return 0.0
    now = _SLOTS_NOW.search(status_text)
    if now and int(now.group(1)) > 0:
        return 0.0
    later = [max(0, int(found)) for found in _SLOT_LATER.findall(status_text)]
    return float(min(later)) if later else None


def _slot_wait(session: requests.Session, url: str) -> float | None:
    """Seconds until the server has a slot for us, per its /api/status (None: it does not say)."""
    try:
        response = session.get(status_url(url), timeout=(_CONNECT_TIMEOUT_S, 15))
    except requests.RequestException:
        return None  # the query itself will say what is wrong
    return slot_wait_s(response.text) if response.status_code == 200 else None


def _wait(wait_s: float, politeness: Politeness, shown: str, why: str, sleep: Callable[[float], None]) -> None:
    if wait_s <= 0:
        return
    if wait_s > politeness.max_wait_s:
        raise OsmSourceError(f"Overpass {shown}: asks to wait {wait_s:.0f} s {why}, longer than [osm] max_wait_s "
                             f"({politeness.max_wait_s:g} s). Try again later, or use another Overpass server.")
    log.info("Overpass %s: waiting %.1f s %s", shown, wait_s, why)
    sleep(wait_s)


def _backoff_s(backoff_s: float, attempt: int) -> float:
    """Exponential backoff with jitter (half to all of the delay), so clients do not retry in step."""
    delay_s = backoff_s * 2 ** (attempt - 1)
    return random.uniform(delay_s / 2, delay_s)


def _retry_after_s(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _server(url: str) -> _Server:
    parts = urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}"
    with _servers_lock:
        return _servers.setdefault(key, _Server())


def _unresolvable(error: requests.ConnectionError) -> bool:
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NameResolutionError) or "Name or service not known" in str(error) \
        or "Temporary failure in name resolution" in str(error)


def _timed_out(error: requests.ConnectionError) -> bool:
    return "timed out" in str(error).lower()


def _reason(error: requests.ConnectionError) -> str:
    text = str(error.args[0] if error.args else error)
    if "Connection refused" in text:
        return "connection refused"
    return redact(text.rsplit(": ", 1)[-1].rstrip(")'\"") or "connection failed")
