"""The store's user-facing error."""

from __future__ import annotations

from osmbridge.errors import OsmbridgeError


class StoreError(OsmbridgeError):
    """The state database cannot be opened or written, or lacks what an operation needs."""
