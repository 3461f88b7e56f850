"""Local paths in texts shown to readers: the file name only, never the folders of the machine that ran."""

from __future__ import annotations

import re

# An absolute POSIX path's folders ("/srv/data/x/" in "/srv/data/x/file.csv:12"), or a Windows one's.
_FOLDERS = re.compile(r"(?<![\w:/.])/(?:[^\s/:'\"<>]+/)+|\b[A-Za-z]:\\(?:[^\s\\:'\"<>]+\\)+")


def file_names_only(text: str | None) -> str:
    """Return `text` with every absolute path cut to its file name: "/srv/a/b.csv:3" -> "b.csv:3"."""
    return _FOLDERS.sub("", text or "")
