"""A difference's notes in the reader's language."""

from __future__ import annotations

from osmbridge.model import Difference


def note_text(difference: Difference, lang: str) -> str:
    """The notes of a difference as one line in `lang`."""
    return difference.note or ""
