"""Notes attached to differences: a code and its parameters, rendered in the reader's language later.

The texts are in the message catalogue, osmbridge/i18n/notes.py (DIFF_NOTES): a new code goes there.
"""

from __future__ import annotations

from osmbridge.i18n.notes import DIFF_NOTES
from osmbridge.model import Note, Notes


def note(code: str, **params: object) -> Note:
    """Return the note `code` with its parameters; KeyError for a code the catalogue lacks."""
    if code not in DIFF_NOTES:
        raise KeyError(f"note code {code!r} is not in osmbridge/i18n/notes.py (DIFF_NOTES)")
    return Note(code, params)


def join_notes(*parts: Note | Notes | None) -> Notes:
    """Return the notes given (single notes or tuples of them) as one tuple, leaving out empty parts."""
    joined: list[Note] = []
    for part in parts:
        if isinstance(part, Note):
            joined.append(part)
        elif part:
            if isinstance(part, str):  # a bug: notes are codes now, not text
                raise TypeError(f"notes are Note(code, params), not text: {part!r}")
            joined.extend(part)
    return tuple(joined)
