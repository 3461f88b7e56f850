"""A refused request: its HTTP status and the words shown for it (pages in the reader's language, JSON as is)."""

from __future__ import annotations


class Problem(Exception):
    """Refuse a request: HTTP status, the i18n key of the message shown, and the detail for the JSON API."""

    def __init__(self, status: int, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.status, self.key, self.detail = status, key, detail
