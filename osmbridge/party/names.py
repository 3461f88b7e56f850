"""File names from neighbourhood names."""

from __future__ import annotations

import re
import unicodedata


def slugify(name: str, max_length: int = 40) -> str:
    """Return an ASCII file-name part for a name ("Île de Nantes" -> "ile-de-nantes")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "area"
