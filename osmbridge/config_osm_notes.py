"""config.toml's OSM notes part: `[osm_notes]` (the API, the token, the pace) and `[datasets.X.osm_notes]`.

Read by `config.load_config` with its key-naming reader. A dataset's table says whether its places'
notes are read and whether its needs-survey items may be published as notes; the API settings of
`[osm_notes]` ride along (`DatasetNotesConfig.api`), so the pipeline and the web app get them from
the dataset alone. The token comes from the environment (OSMBRIDGE_OSM_TOKEN) or a private file,
never from config.toml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from osmbridge.redact import register_secret

if TYPE_CHECKING:
    from osmbridge.config import _Reader

DEFAULT_NOTES_API = "https://api.openstreetmap.org"
TOKEN_ENV = "OSMBRIDGE_OSM_TOKEN"  # the same token as the push stage's: it needs the write_notes scope
NoteLanguage = Literal["en", "fr"]
_LANGUAGES: tuple[NoteLanguage, ...] = ("fr", "en")
_API_KEYS = {"api_url", "token_file", "format", "max_per_hour", "min_interval_s", "max_area_deg2", "limit",
             "closed_days", "timeout_s", "pause_s", "user_agent"}
_DATASET_KEYS = {"read", "publish", "distance_m", "languages"}


@dataclass(frozen=True, slots=True)
class OsmNotesConfig:
    """`[osm_notes]`: the OSM API server of notes, the token that signs them, and how fast osmbridge goes."""

    api_url: str = DEFAULT_NOTES_API
    token: str | None = field(default=None, repr=False)  # OSMBRIDGE_OSM_TOKEN
    token_file: Path | None = None  # read when a note is written; must be private (chmod 600)
    answer_format: Literal["json", "xml"] = "json"
    max_per_hour: int = 10  # notes osmbridge opens in any hour, all datasets together
    min_interval_s: float = 60.0  # at least this long between two notes it opens
    max_area_deg2: float = 25.0  # the API's note_area maximum (square degrees per box)
    limit: int = 1000  # notes per box (1..10000); a full box is split and asked again
    closed_days: int = 7  # notes closed this many days ago still show (-1: all closed ones)
    timeout_s: float = 30.0
    pause_s: float = 1.0  # between two requests of one run
    user_agent: str | None = None  # None: "osmbridge/<version> (...; contact: [service] contact)"
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class DatasetNotesConfig:
    """`[datasets.X.osm_notes]`: read the notes near this dataset's places; publish its needs-survey items."""

    read: bool = False
    publish: bool = False  # opt-in: a reviewer may publish a needs-survey item as an OSM note
    distance_m: float = 50.0  # how near a place a note must be to be about it
    languages: tuple[NoteLanguage, ...] = _LANGUAGES  # of the notes osmbridge writes, in this order
    api: OsmNotesConfig = OsmNotesConfig()


def read_osm_notes(reader: _Reader, raw: dict[str, Any], environ: Any, contact: str | None) -> OsmNotesConfig:
    """Read `[osm_notes]`; the token from the environment is registered as a secret (hidden in every message)."""
    where = "osm_notes"
    reader.only_keys(raw, where, _API_KEYS)
    answer_format = raw.get("format", "json")
    if answer_format not in ("json", "xml"):
        raise reader.fail(f"{where}.format", "expected \"json\" or \"xml\"")
    limit = reader.number(raw, f"{where}.limit", 1000, integer=True)
    if limit > 10_000:
        raise reader.fail(f"{where}.limit", "the OSM API answers at most 10000 notes per request")
    closed_days = raw.get("closed_days", 7)
    if isinstance(closed_days, bool) or not isinstance(closed_days, int) or closed_days < -1:
        raise reader.fail(f"{where}.closed_days", "expected a number of days, 0 (open notes only) or more, "
                                                  "or -1 (every closed note)")
    token = (environ.get(TOKEN_ENV) or "").strip() or None
    if token:
        register_secret(token)
    return OsmNotesConfig(
        api_url=reader.url(reader.text(raw, f"{where}.api_url", DEFAULT_NOTES_API), f"{where}.api_url").rstrip("/"),
        token=token,
        token_file=reader.path(raw, f"{where}.token_file") if "token_file" in raw else None,
        answer_format=cast(Literal["json", "xml"], answer_format),
        max_per_hour=reader.number(raw, f"{where}.max_per_hour", 10, integer=True),
        min_interval_s=reader.duration(raw, f"{where}.min_interval_s", 60.0),
        max_area_deg2=float(reader.number(raw, f"{where}.max_area_deg2", 25.0)),
        limit=limit,
        closed_days=closed_days,
        timeout_s=float(reader.number(raw, f"{where}.timeout_s", 30.0)),
        pause_s=reader.duration(raw, f"{where}.pause_s", 1.0),
        user_agent=reader.optional_text(raw, f"{where}.user_agent"),
        contact=contact,
    )


def read_dataset_notes(reader: _Reader, raw: dict[str, Any], where: str, api: OsmNotesConfig) -> DatasetNotesConfig:
    """Read `[datasets.X.osm_notes]` (absent: nothing read, nothing published)."""
    reader.only_keys(raw, where, _DATASET_KEYS)
    flags = {}
    for key in ("read", "publish"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise reader.fail(f"{where}.{key}", "expected true or false")
        flags[key] = value
    distance = float(reader.number(raw, f"{where}.distance_m", 50.0))
    if distance > 1000:
        raise reader.fail(f"{where}.distance_m", "expected at most 1000 m: a note further away is about "
                                                 "something else")
    languages = raw.get("languages", list(_LANGUAGES))
    if (not isinstance(languages, list) or not languages or len(set(languages)) != len(languages)
            or not all(lang in _LANGUAGES for lang in languages)):
        raise reader.fail(f"{where}.languages", "expected a list of \"fr\" and/or \"en\", e.g. [\"fr\", \"en\"]")
    return DatasetNotesConfig(read=flags["read"], publish=flags["publish"], distance_m=distance,
                              languages=tuple(languages), api=api)
