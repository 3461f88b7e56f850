"""Why a review operation was refused; each says what to do instead.

The CLI prints them as one line; the web app maps them to HTTP statuses (ItemNotFound -> 404,
RevisionConflict -> 409, the others -> 400/409) without parsing the text.
"""

from __future__ import annotations

from osmbridge.errors import OsmbridgeError


class ReviewError(OsmbridgeError):
    """A review operation that cannot be done as asked."""


class ItemNotFound(ReviewError):
    """No review item has that id."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"no review item {item_id!r}; list them with `osmbridge review list`")
        self.item_id = item_id


class InvalidTransition(ReviewError):
    """The action is not possible from the item's state (a pushed item cannot be rejected...)."""


class InvalidDecision(ReviewError):
    """The action's parameters do not fit the item (a direction it cannot go, no reason for a rejection...)."""


class RevisionConflict(ReviewError):
    """Someone changed the item since the caller read it; reload it, then decide again."""

    def __init__(self, item_id: str, expected: int, actual: int) -> None:
        super().__init__(f"review item {item_id} changed since you read it (revision {expected}, now {actual}); "
                         "reload it and decide again")
        self.item_id, self.expected, self.actual = item_id, expected, actual
