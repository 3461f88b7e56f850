"""A difference's notes in the reader's language."""

from __future__ import annotations

from osmbridge.i18n import message, render_notes
from osmbridge.model import Difference
from osmbridge.review import SYSTEM_AUTHOR
from osmbridge.review.refresh import SYSTEM_REASONS


def note_text(difference: Difference, lang: str) -> str:
    """The notes of a difference as one line in `lang`."""
    return render_notes(difference.note, lang)


def reason_text(reason: str, author: str, lang: str) -> str:
    """A decision's reason as shown: a person's words as typed, osmbridge's own reasons in `lang`."""
    if author == SYSTEM_AUTHOR and reason in SYSTEM_REASONS:
        return message(f"reason.{reason}", lang)
    return reason
