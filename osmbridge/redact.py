"""The one place that hides secrets in text: log lines, error messages, stored errors, reports, notifications.

Hidden: the password of a URL (`scheme://user:PASSWORD@host`), the value of a query parameter whose
name says it is a secret (`?token=`, `api_key=`, `access_token=`, `password=`, `signature=`...), the
credentials of an `Authorization`-style `Bearer`/`Basic` word, and every value registered with
`register_secret` (config.py registers what `${NAME}` brought into a URL or a password).
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"
_SECRET_WORDS = r"token|key|secret|password|passwd|pwd|auth|signature|sig|session|credential|apikey"
# ?token=abc  &api_key=abc  ;access_token=abc  (the name contains a secret word)
_QUERY_SECRET = re.compile(rf"(?i)([?&;][a-z0-9_.\-\[\]]*(?:{_SECRET_WORDS})[a-z0-9_.\-\[\]]*=)([^&#\s'\"<>]+)")
# scheme://user:password@host
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@'\"<>]*:)([^@/\s'\"<>]+)(@)")
# Authorization: Bearer abc...  /  Basic abc...
_AUTH_HEADER = re.compile(r"(?i)\b(bearer|basic)(\s+)[a-z0-9._~+/=\-]{8,}")
_MIN_SECRET_LENGTH = 4  # shorter values would hide ordinary words

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Hide `value` wherever it appears from now on (a password or token read from the environment)."""
    if value and len(value.strip()) >= _MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value.strip())


def redact(text: str) -> str:
    """Return `text` with every secret replaced by ***."""
    if not text:
        return text
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: a secret may contain another
    for secret in known:
        text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(rf"\g<1>{MASK}\g<3>", text)
    text = _QUERY_SECRET.sub(rf"\g<1>{MASK}", text)
    return _AUTH_HEADER.sub(rf"\g<1>\g<2>{MASK}", text)


def install_log_redaction() -> None:
    """Make every log record, from any logger and for any handler, carry its message redacted."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_osmbridge_redacts", False):
        return

    def make_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: let the handler report it as usual
            return record
        hidden = redact(message)
        if hidden != message:
            _hide_in(record, hidden)
        return record

    make_record._osmbridge_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


def _hide_in(record: logging.LogRecord, hidden: str) -> None:
    """Redact `record` in place, keeping its arguments when redacting them one by one hides the same.

    Some formatters read the arguments themselves (uvicorn's access log unpacks its five), so a record
    keeps its shape whenever that is safe; otherwise its message becomes the redacted text.
    """
    if isinstance(record.args, tuple) and isinstance(record.msg, str):
        args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        try:
            same = (redact(record.msg) % args if args else redact(record.msg)) == hidden
        except (TypeError, ValueError):
            same = False
        if same:
            record.msg, record.args = redact(record.msg), args
            return
    record.msg, record.args = hidden, None
