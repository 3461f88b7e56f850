"""Web addresses: a clean URL to put in OSM, and a key to compare two URLs by meaning."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.[a-z][a-z0-9-]{1,62}$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _host_ascii(host: str) -> str | None:
    """Return the host in lower-case ASCII (IDNA for accented names), or None if it is not a host name."""
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return ascii_host if _HOST.match(ascii_host) else None


def normalize_url(raw: str) -> str | None:
    """Return a clean absolute URL for OSM's `website`, or None if `raw` is not a web address.

    Adds "https://" when the scheme is missing ("www.bm.nantes.fr"), lower-cases scheme and host,
    drops a default port, the fragment and a lone trailing "/"; keeps path and query as written.
    """
    text = raw.strip().strip("<>\"'").rstrip(",;")
    if not text or any(c.isspace() for c in text):
        return None
    if not _SCHEME.match(text):
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    host = _host_ascii(parts.hostname)
    if host is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = "" if parts.path == "/" else parts.path
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def url_key(raw: str) -> str:
    """Return a comparison key: scheme, "www.", trailing "/", host case and fragment ignored.

    "http://www.Nantes.fr/" and "https://nantes.fr" share the key "nantes.fr"; text that is not a
    URL is compared as trimmed, case-folded text.
    """
    clean = normalize_url(raw)
    if clean is None:
        return raw.strip().casefold()
    parts = urlsplit(clean)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@([^@\s<>(),;:\"]+)$")


def normalize_email(raw: str) -> str | None:
    """Return an e-mail address with "mailto:" dropped and the domain lower-cased, or None if it is not one."""
    text = raw.strip().removeprefix("mailto:").strip()
    match = _EMAIL.match(text)
    if not match:
        return None
    domain = _host_ascii(match.group(1))
    if domain is None:
        return None
    local = text[: match.start(1) - 1]
    return f"{local}@{match.group(1).lower()}"
