"""The push parts of config.toml: the OSM API server `[osm_api]`, each dataset's `[datasets.X.push]`.

    [osm_api]
    url = "https://api.openstreetmap.org"        # where edits go (the dev server for a rehearsal)
    auth_url = "https://www.openstreetmap.org"   # where `osmbridge osm login` sends the browser
    client_id = "..."                            # the OAuth2 application registered for this install
    token_file = "~/.config/osmbridge/osm-token" # written by `osmbridge osm login` (0600)

    [datasets.X]
    licence_waiver = "..."   # where the publisher's permission is recorded (CC-BY datasets)
    attribution = "..."      # the attribution the city publishes with the dataset (OSM -> city)

    [datasets.X.push]
    comment = "..."  source = "..."  hashtags = "#osmbridge"  import_page = "https://wiki..."
    max_changes = 200  max_span_m = 3000
    [datasets.X.push.city]      # OSM corrections into the city's data
    output = "city-push/equipements.csv"           # the patched copy (default: reports/X/city-push/)
    [datasets.X.push.city.database]                # or a PostgreSQL/PostGIS table
    url = "postgresql+psycopg://city:${CITY_DB_PASSWORD}@db/city"  table = "public.equipements"
    key_column = "id"   columns = { "TELEPHONE" = "telephone" }   # city field -> table column

The OSM token itself never goes in the file: OSMBRIDGE_OSM_TOKEN, else the token file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

DEFAULT_API_URL = "https://api.openstreetmap.org"
DEFAULT_AUTH_URL = "https://www.openstreetmap.org"
DEFAULT_TOKEN_FILE = "~/.config/osmbridge/osm-token"
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True, slots=True)
class OsmApiConfig:
    """The OSM API server the push writes to, and where its token comes from."""

    url: str = DEFAULT_API_URL
    auth_url: str = DEFAULT_AUTH_URL
    client_id: str | None = None
    redirect_uri: str = OOB_REDIRECT
    token_file: Path = field(default_factory=lambda: Path(DEFAULT_TOKEN_FILE).expanduser())
    token: str | None = field(default=None, repr=False)  # OSMBRIDGE_OSM_TOKEN; never printed
    timeout_s: float = 60.0
    retries: int = 5  # waits on HTTP 429 before giving up
    backoff_s: float = 10.0


@dataclass(frozen=True, slots=True)
class CityDatabaseConfig:
    """A PostgreSQL/PostGIS table holding the city's data."""

    url: str = field(repr=False)  # may hold a password (from ${ENV})
    table: str  # "schema.table" or "table"
    key_column: str
    columns: Mapping[str, str] = field(default_factory=dict)  # city field -> table column (default: same name)


@dataclass(frozen=True, slots=True)
class CityPushConfig:
    output: Path | None = None  # the patched copy of the city's file
    database: CityDatabaseConfig | None = None


@dataclass(frozen=True, slots=True)
class DatasetPushConfig:
    """How one dataset's accepted items are pushed."""

    comment: str | None = None  # None: built from the dataset's title
    source: str | None = None  # None: the dataset's title
    hashtags: str = "#osmbridge"
    import_page: str | None = None
    max_changes: int = 200
    max_span_m: float = 3000.0
    city: CityPushConfig = CityPushConfig()


class _Reader(Protocol):
    def only_keys(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None: ...
    def table(self, raw: Mapping[str, Any], key: str) -> dict[str, Any]: ...
    def text(self, raw: Mapping[str, Any], key: str, default: str | None = None) -> str: ...
    def optional_text(self, raw: Mapping[str, Any], key: str) -> str | None: ...
    def number(self, raw: Mapping[str, Any], key: str, default: float, *, integer: bool = False) -> Any: ...
    def expand(self, value: str, key: str) -> str: ...
    def path(self, raw: Mapping[str, Any], key: str, default: str | None = None) -> Path: ...
    def fail(self, key: str, problem: str) -> Exception: ...


def read_osm_api(reader: _Reader, raw: Mapping[str, Any], environ: Mapping[str, str]) -> OsmApiConfig:
    """`[osm_api]`, with the token from OSMBRIDGE_OSM_TOKEN when set."""
    if "token" in raw:
        raise reader.fail("osm_api.token", "the OSM token never goes in config.toml: set OSMBRIDGE_OSM_TOKEN or "
                                           "let `osmbridge osm login` write the token file")
    reader.only_keys(raw, "osm_api", {"url", "auth_url", "client_id", "redirect_uri", "token_file", "timeout_s",
                                      "retries", "backoff_s"})
    url = reader.expand(reader.text(raw, "osm_api.url", DEFAULT_API_URL), "osm_api.url")
    auth_url = reader.expand(reader.text(raw, "osm_api.auth_url", DEFAULT_AUTH_URL), "osm_api.auth_url")
    for key, value in (("url", url), ("auth_url", auth_url)):
        if not value.startswith(("https://", "http://")):
            raise reader.fail(f"osm_api.{key}", "expected an http(s) URL such as https://api.openstreetmap.org")
    return OsmApiConfig(
        url=url.rstrip("/"), auth_url=auth_url.rstrip("/"),
        client_id=reader.optional_text(raw, "osm_api.client_id"),
        redirect_uri=reader.text(raw, "osm_api.redirect_uri", OOB_REDIRECT),
        token_file=reader.path(raw, "osm_api.token_file", DEFAULT_TOKEN_FILE),
        token=environ.get("OSMBRIDGE_OSM_TOKEN") or None,
        timeout_s=float(reader.number(raw, "osm_api.timeout_s", 60.0)),
        retries=reader.number(raw, "osm_api.retries", 5, integer=True),
        backoff_s=float(reader.number(raw, "osm_api.backoff_s", 10.0)),
    )


def read_dataset_push(reader: _Reader, raw: Mapping[str, Any], where: str) -> DatasetPushConfig:
    """`[datasets.X.push]` and its `city` table."""
    reader.only_keys(raw, where, {"comment", "source", "hashtags", "import_page", "max_changes", "max_span_m",
                                  "city"})
    max_changes = reader.number(raw, f"{where}.max_changes", 200, integer=True)
    if max_changes > 10_000:
        raise reader.fail(f"{where}.max_changes", "the OSM API takes at most 10000 changes per changeset")
    return DatasetPushConfig(
        comment=reader.optional_text(raw, f"{where}.comment"),
        source=reader.optional_text(raw, f"{where}.source"),
        hashtags=reader.optional_text(raw, f"{where}.hashtags") or "#osmbridge",
        import_page=reader.optional_text(raw, f"{where}.import_page"),
        max_changes=max_changes,
        max_span_m=float(reader.number(raw, f"{where}.max_span_m", 3000.0)),
        city=_city(reader, reader.table(raw, f"{where}.city"), f"{where}.city"),
    )


def _city(reader: _Reader, raw: Mapping[str, Any], where: str) -> CityPushConfig:
    reader.only_keys(raw, where, {"output", "database"})
    output = reader.path(raw, f"{where}.output") if "output" in raw else None
    database = None
    if "database" in raw:
        db = reader.table(raw, f"{where}.database")
        reader.only_keys(db, f"{where}.database", {"url", "table", "key_column", "columns"})
        columns = db.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                                    for k, v in columns.items()):
            raise reader.fail(f"{where}.database.columns", "expected a table of city field = \"column\"")
        database = CityDatabaseConfig(
            url=reader.expand(reader.text(db, f"{where}.database.url"), f"{where}.database.url"),
            table=reader.text(db, f"{where}.database.table"),
            key_column=reader.text(db, f"{where}.database.key_column"), columns=dict(columns))
    if output is not None and database is not None:
        raise reader.fail(where, "give either output (a patched copy of the city's file) or database, not both")
    return CityPushConfig(output=output, database=database)
