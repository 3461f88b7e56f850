"""Explanations attached to matches: a code and its parameters, rendered in the reader's language later.

The texts are in the message catalogue, osmbridge/i18n/notes.py (MATCH_NOTES): a new code goes there.
"""

from __future__ import annotations

from collections.abc import Iterable

from osmbridge.i18n.notes import MATCH_NOTES
from osmbridge.model import Note, Notes

CODES = frozenset(MATCH_NOTES)


def note(which: str, **values: object) -> Note:
    """Return one explanation; KeyError for a code the catalogue lacks."""
    if which not in MATCH_NOTES:
        raise KeyError(f"match note code {which!r} is not in osmbridge/i18n/notes.py (MATCH_NOTES)")
    return Note(which, values)


def join_notes(parts: Iterable[Note]) -> Notes:
    """Return the explanations of one match as a tuple."""
    return tuple(parts)


def by(author: str, decided_at: str) -> Note | str:
    """Return " by alice on 2026-05-01" as a note (parts left out when unknown; "" when both are)."""
    date = decided_at[:10]
    if author and date:
        return note("by_author_date", author=author, date=date)
    if author:
        return note("by_author", author=author)
    return note("by_date", date=date) if date else ""
