"""Server logs without secrets: the access log hides the values of OAuth codes, states and tokens."""

from __future__ import annotations

import logging
import re
from typing import Any

# Query parameters whose values are credentials (the OAuth2 callback carries `code` and `state`).
SECRET_PARAMS = ("code", "state", "token", "access_token", "password", "csrf_token", "client_secret")
_SECRET = re.compile(r"(?<=[?&])(" + "|".join(SECRET_PARAMS) + r")=[^&\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """Return `text` with the values of secret query parameters replaced by `***`."""
    return _SECRET.sub(r"\1=***", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message arguments (uvicorn puts the full path with its query in them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def log_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's logging setup: its own loggers and osmbridge's, secret query values redacted."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactSecrets}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "access": {"()": "uvicorn.logging.AccessFormatter", "use_colors": False,
                       "fmt": '%(asctime)s %(client_addr)s "%(request_line)s" %(status_code)s'},
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"],
                        "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "filters": ["redact"],
                       "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "osmbridge": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
