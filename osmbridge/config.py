"""config.toml: datasets, the OSM backend, the state store and the reports folder, checked on load.

Loaded once by the CLI or the scheduler, then passed down; nothing else reads the environment.
Relative paths are relative to the config file. `${NAME}` in a path or URL is replaced by the
environment variable NAME (an error names it when it is unset), so secrets such as a database
password stay out of the file: `url = "postgresql+psycopg://osmbridge:${OSMBRIDGE_DB_PASSWORD}@db/osmbridge"`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from osmbridge.config_push import DatasetPushConfig, OsmApiConfig, read_dataset_push, read_osm_api
from osmbridge.config_osm_notes import (DatasetNotesConfig, OsmNotesConfig, read_dataset_notes,
                                       read_osm_notes)
from osmbridge.errors import ConfigError, os_problem
from osmbridge.model import Area, SourceKind, SourceSpec
from osmbridge.producers_config import ProducerConfig, read_producers
from osmbridge.redact import register_secret
from osmbridge.service_config import (NotifyConfig, ScheduleConfig, ServiceConfig, read_notify, read_schedule,
                                      read_service)

DEFAULT_OVERPASS_URL = "https://overpass-api.de/api/interpreter"
DEFAULT_OSM_SERVER = "https://www.openstreetmap.org"
_SOURCE_KINDS = ("csv", "geojson", "json", "opendatasoft")
# Keys of [datasets.X.source], each documented in docs/configuration.md.
SOURCE_KEYS = {"kind", "location", "dataset_id", "crs", "lat_field", "lon_field", "geometry_field",
               "encoding", "delimiter", "records_path", "where", "page_size", "timeout_s"}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class OsmConfig:
    """Where OSM data comes from: a local extract, or an Overpass server."""

    backend: str = "overpass"  # "overpass" | "extract"
    extract: Path | None = None
    overpass_url: str = DEFAULT_OVERPASS_URL
    timeout_s: int = 180
    retries: int = 4
    backoff_s: float = 5.0
    user_agent: str | None = None  # None: "osmbridge/<version> (...; contact)"
    contact: str | None = None  # [service] contact, named in the default User-Agent
    pause_s: float = 2.0  # between two queries to one server
    max_wait_s: float = 600.0  # longest wait for a free slot or a Retry-After before giving up
    # A dataset whose OSM side lost more than this share of its places since the last good run is
    # stopped before it proposes anything (a truncated Overpass answer, a wrong extract or bbox).
    max_shrink_share: float = 0.5
    allow_empty: bool = False  # True: an OSM side with no place at all is accepted (nothing mapped yet)


@dataclass(frozen=True, slots=True)
class DatasetConfig:
    """One city dataset: its source, licence, mapping, area and OSM backend.

    A dataset with several producers (`[datasets.X.producers.NAME]`) lists them in `producers`, the
    most trusted first; its `source`, `mapping` and `licence` are then the most trusted producer's.
    """

    name: str
    title: str
    licence: str
    mapping: Path
    source: SourceSpec
    area: Area
    osm: OsmConfig
    city_url_template: str | None = None
    licence_waiver: str | None = None  # where the publisher's permission for OSM is recorded (licence gate)
    attribution: str | None = None  # the attribution the city publishes with the dataset (licence gate)
    push: DatasetPushConfig = field(default_factory=DatasetPushConfig)
    schedule: ScheduleConfig | None = None  # None: not run by the scheduler
    review_url_template: str | None = None  # from [web] public_url: reports link to the server's item pages
    osm_notes: DatasetNotesConfig = field(default_factory=DatasetNotesConfig)  # OSM notes: read, publish
    producers: tuple[ProducerConfig, ...] = ()  # empty: the dataset's one source is its only producer


@dataclass(frozen=True, slots=True)
class OsmLoginConfig:
    """OSM OAuth2 login for mappers (`[web.osm_login]`): an application registered on the OSM server."""

    client_id: str
    client_secret: str = field(repr=False)
    server_url: str = DEFAULT_OSM_SERVER  # authorize and token endpoints: <server_url>/oauth2/...
    api_url: str = DEFAULT_OSM_SERVER  # user details: <api_url>/api/0.6/user/details.json
    allow_new_mappers: bool = False  # any OSM account may log in as a mapper, not only those added


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The review web application (`[web]`, `osmbridge serve`)."""

    public_url: str | None = None  # as users reach the server; reports link to its item pages
    secret_key: str | None = field(default=None, repr=False)  # OSMBRIDGE_SECRET_KEY
    secret_key_file: Path | None = None  # read by `serve`; keep it outside the repository
    public_read: bool = False  # visitors may read queues, items and GeoJSON without logging in
    session_hours: float = 12.0
    neighbourhoods: Path | None = None  # GeoJSON of the neighbourhoods the queues filter by
    neighbourhood_name_property: str | None = None
    osm_login: OsmLoginConfig | None = None


@dataclass(frozen=True, slots=True)
class Config:
    """The whole checked configuration."""

    path: Path
    store_url: str
    reports_dir: Path
    osm: OsmConfig
    datasets: Mapping[str, DatasetConfig] = field(default_factory=dict)
    service: ServiceConfig = field(default_factory=ServiceConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    web: WebConfig = field(default_factory=WebConfig)
    osm_api: OsmApiConfig = field(default_factory=OsmApiConfig)
    osm_notes: OsmNotesConfig = field(default_factory=OsmNotesConfig)

    def dataset(self, name: str) -> DatasetConfig:
        """The dataset called `name`, or a ConfigError listing the known ones."""
        if name not in self.datasets:
            raise ConfigError(self.path, f"datasets.{name}",
                              f"no such dataset; known: {', '.join(sorted(self.datasets)) or 'none'}")
        return self.datasets[name]


def load_config(path: Path, environ: Mapping[str, str]) -> Config:
    """Read and check config.toml; every problem is a ConfigError naming the key."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, None, "file not found; pass --config FILE or run from the project folder") from None
    except IsADirectoryError:
        raise ConfigError(path, None, "is a folder; pass --config with the config file (e.g. config.toml)") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "is not a text file (binary data, or not UTF-8); pass --config with the "
                                      "TOML config file, saved as UTF-8") from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot be read ({os_problem(exc)}); check its permissions") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"not valid TOML: {exc}") from None
    reader = _Reader(path, environ)
    reader.only_keys(raw, "", {"store", "reports", "osm", "datasets", "service", "notify", "web", "osm_api",
                               "osm_notes"})
    service = reader.service = read_service(reader, reader.table(raw, "service"))
    notify = read_notify(reader, reader.table(raw, "notify"))
    store = reader.table(raw, "store")
    reader.only_keys(store, "store", {"url"})
    store_url = environ.get("OSMBRIDGE_STORE_URL") or reader.text(store, "store.url", "sqlite:///osmbridge.sqlite")
    store_url = reader.sqlite_relative(reader.secret_parts(store_url, "store.url"))
    reports = reader.table(raw, "reports")
    reader.only_keys(reports, "reports", {"directory"})
    reports_dir = reader.path(reports, "reports.directory", "reports")
    osm = reader.osm(reader.table(raw, "osm"), "osm", OsmConfig(contact=service.contact))
    reader.notes_api = read_osm_notes(reader, reader.table(raw, "osm_notes"), environ, service.contact)
    datasets = {name: reader.dataset(name, table, osm)
                for name, table in reader.table(raw, "datasets").items()}
    web = reader.web(reader.table(raw, "web"), environ.get("OSMBRIDGE_SECRET_KEY") or None)
    if web.public_url:
        datasets = {name: replace(dataset,
                                  review_url_template=f"{web.public_url}/d/{quote(name, safe='')}/items/{{id}}")
                    for name, dataset in datasets.items()}
    osm_api = read_osm_api(reader, reader.table(raw, "osm_api"), environ)
    return Config(path=path, store_url=store_url, reports_dir=reports_dir, osm=osm, datasets=datasets,
                  service=service, notify=notify, web=web, osm_api=osm_api, osm_notes=reader.notes_api)


class _Reader:
    """Typed access to the raw TOML with errors that name the key."""

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self.file, self.environ, self.base = path, environ, path.resolve().parent
        self.service = ServiceConfig()
        self.notes_api = OsmNotesConfig()

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.file, key, problem)

    def only_keys(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                full = f"{where}.{key}" if where else key
                raise self.fail(full, f"unknown key; expected one of {', '.join(sorted(allowed))}")

    def table(self, raw: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(_leaf(key), {})
        if not isinstance(value, dict):
            raise self.fail(key, "expected a table")
        return value

    def text(self, raw: Mapping[str, Any], key: str, default: str | None = None) -> str:
        value = raw.get(_leaf(key), default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string" + ("" if default is None else f" (default {default!r})"))
        return value

    def optional_text(self, raw: Mapping[str, Any], key: str) -> str | None:
        value = raw.get(_leaf(key), None)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "expected a string")
        return value

    def number(self, raw: Mapping[str, Any], key: str, default: float, *, integer: bool = False) -> Any:
        value = raw.get(_leaf(key), default)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or value <= 0:
            raise self.fail(key, f"expected a positive {'integer' if integer else 'number'}")
        return value

    def expand(self, value: str, key: str, *, secret: bool = False) -> str:
        def replace(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in self.environ:
                raise self.fail(key, f"environment variable {name} is not set")
            if secret:
                register_secret(self.environ[name])
            return self.environ[name]
        return _VAR.sub(replace, value)

    def secret_parts(self, value: str, key: str) -> str:
        """Expand a URL whose `${NAME}` parts are secrets (a password, a token): hidden in every message."""
        return self.expand(value, key, secret=True)

    def secret(self, value: str, key: str) -> str:
        """Expand a value that is a secret as a whole (a password, a webhook address): hidden in every message."""
        expanded = self.expand(value, key, secret=True)
        register_secret(expanded)
        return expanded

    def path(self, raw: Mapping[str, Any], key: str, default: str | None = None) -> Path:
        value = Path(self.expand(self.text(raw, key, default), key)).expanduser()
        return value if value.is_absolute() else self.base / value

    def sqlite_relative(self, url: str) -> str:
        """A relative SQLite file is relative to the config file, like every other path."""
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
            return prefix + str(self.base / url[len(prefix):])
        return url

    def osm(self, raw: Mapping[str, Any], where: str, inherited: OsmConfig) -> OsmConfig:
        self.only_keys(raw, where, {"backend", "extract", "overpass_url", "timeout_s", "retries",
                                    "backoff_s", "user_agent", "max_shrink_share", "allow_empty", "pause_s",
                                    "max_wait_s"})
        shrink = raw.get("max_shrink_share", inherited.max_shrink_share)
        if isinstance(shrink, bool) or not isinstance(shrink, (int, float)) or not 0 < shrink <= 1:
            raise self.fail(f"{where}.max_shrink_share", "expected a share between 0 and 1 (0.5 = half)")
        allow_empty = raw.get("allow_empty", inherited.allow_empty)
        if not isinstance(allow_empty, bool):
            raise self.fail(f"{where}.allow_empty", "expected true or false")
        backend = self.text(raw, f"{where}.backend", inherited.backend)
        if backend not in ("overpass", "extract"):
            raise self.fail(f"{where}.backend", "expected \"overpass\" or \"extract\"")
        extract = self.path(raw, f"{where}.extract") if "extract" in raw else inherited.extract
        if backend == "extract" and extract is None:
            raise self.fail(f"{where}.extract", "backend is \"extract\": give the path of an .osm/.pbf/.json file")
        return OsmConfig(
            backend=backend,
            extract=extract,
            overpass_url=self.secret_parts(self.text(raw, f"{where}.overpass_url", inherited.overpass_url),
                                           f"{where}.overpass_url"),
            timeout_s=self.number(raw, f"{where}.timeout_s", inherited.timeout_s, integer=True),
            retries=self.number(raw, f"{where}.retries", inherited.retries, integer=True),
            backoff_s=float(self.number(raw, f"{where}.backoff_s", inherited.backoff_s)),
            user_agent=self.optional_text(raw, f"{where}.user_agent") or inherited.user_agent,
            max_shrink_share=float(shrink),
            allow_empty=allow_empty,
            contact=inherited.contact,
            pause_s=self.duration(raw, f"{where}.pause_s", inherited.pause_s),
            max_wait_s=float(self.number(raw, f"{where}.max_wait_s", inherited.max_wait_s)),
        )

    def duration(self, raw: Mapping[str, Any], key: str, default: float) -> float:
        value = raw.get(_leaf(key), default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(key, "expected a number of seconds, 0 or more")
        return float(value)

    def dataset(self, name: str, raw: Any, osm: OsmConfig) -> DatasetConfig:
        where = f"datasets.{name}"
        if not isinstance(raw, dict):
            raise self.fail(where, "expected a table")
        self.only_keys(raw, where, {"title", "licence", "mapping", "source", "area", "osm", "city_url_template",
                                    "schedule", "licence_waiver", "attribution", "push", "osm_notes", "producers"})
        city_url_template = self.optional_text(raw, f"{where}.city_url_template")
        producers: tuple[ProducerConfig, ...] = ()
        if "producers" in raw:
            for key in ("source", "mapping"):
                if key in raw:
                    raise self.fail(f"{where}.{key}", "a dataset with producers reads each producer's own source "
                                                      f"and mapping: move it into [{where}.producers.NAME]")
            producers = read_producers(self, self.table(raw, f"{where}.producers"), f"{where}.producers",
                                       self.optional_text(raw, f"{where}.licence"), city_url_template)
        first = producers[0] if producers else None
        return DatasetConfig(
            name=name,
            title=self.optional_text(raw, f"{where}.title") or name,
            licence=first.producer.licence if first and "licence" not in raw else self.text(raw, f"{where}.licence"),
            mapping=first.mapping if first else self.path(raw, f"{where}.mapping"),
            source=first.source if first else self.source(self.table(raw, f"{where}.source"), f"{where}.source"),
            area=self.area(self.table(raw, f"{where}.area"), f"{where}.area"),
            osm=self.osm(self.table(raw, f"{where}.osm"), f"{where}.osm", osm),
            city_url_template=city_url_template,
            licence_waiver=self.optional_text(raw, f"{where}.licence_waiver"),
            attribution=self.optional_text(raw, f"{where}.attribution"),
            push=read_dataset_push(self, self.table(raw, f"{where}.push"), f"{where}.push"),
            schedule=read_schedule(self, self.table(raw, f"{where}.schedule"), f"{where}.schedule", self.service),
            osm_notes=read_dataset_notes(self, self.table(raw, f"{where}.osm_notes"), f"{where}.osm_notes",
                                         self.notes_api),
            producers=producers,
        )

    def source(self, raw: Mapping[str, Any], where: str) -> SourceSpec:
        self.only_keys(raw, where, SOURCE_KEYS)
        kind = self.text(raw, f"{where}.kind")
        if kind not in _SOURCE_KINDS:
            raise self.fail(f"{where}.kind", f"expected one of {', '.join(_SOURCE_KINDS)}")
        location = self.expand(self.text(raw, f"{where}.location"), f"{where}.location")
        if location.startswith(("http://", "https://")):  # a token may ride in a portal's URL
            location = self.secret_parts(self.text(raw, f"{where}.location"), f"{where}.location")
        if kind == "opendatasoft":
            if not location.startswith(("http://", "https://")):
                raise self.fail(f"{where}.location", "expected the portal's base URL (https://...)")
            if not raw.get("dataset_id"):
                raise self.fail(f"{where}.dataset_id", "an opendatasoft source needs the portal's dataset id")
        else:
            location = str(self.path(raw, f"{where}.location"))
        text: dict[str, Any] = {key: self.optional_text(raw, f"{where}.{key}") for key in
                ("dataset_id", "lat_field", "lon_field", "geometry_field", "encoding", "delimiter",
                 "records_path", "where")}
        http_cache = str(self.service.http_cache) if self.service.http_cache else None
        return SourceSpec(kind=cast(SourceKind, kind), location=location,
                          crs=self.text(raw, f"{where}.crs", "EPSG:4326"),
                          http_cache=http_cache, contact=self.service.contact,
                          page_size=self.number(raw, f"{where}.page_size", 100, integer=True),
                          timeout_s=float(self.number(raw, f"{where}.timeout_s", 60.0)), **text)

    def area(self, raw: Mapping[str, Any], where: str) -> Area:
        self.only_keys(raw, where, {"name", "relation_id", "bbox"})
        relation = raw.get("relation_id")
        if relation is not None and (isinstance(relation, bool) or not isinstance(relation, int) or relation <= 0):
            raise self.fail(f"{where}.relation_id", "expected the positive id of an OSM relation")
        bbox = raw.get("bbox")
        if bbox is not None:
            if (not isinstance(bbox, list) or len(bbox) != 4
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bbox)):
                raise self.fail(f"{where}.bbox", "expected [south, west, north, east] in degrees")
            south, west, north, east = (float(v) for v in bbox)
            problem = bbox_problem(south, west, north, east)
            if problem:
                raise self.fail(f"{where}.bbox", f"{problem}; expected [south, west, north, east] in WGS84 degrees, "
                                                 "with south < north and west < east")
            bbox = (south, west, north, east)
        return Area(name=self.optional_text(raw, f"{where}.name") or "", relation_id=relation, bbox=bbox)

    def web(self, raw: Mapping[str, Any], secret_key: str | None) -> WebConfig:
        self.only_keys(raw, "web", {"public_url", "secret_key_file", "public_read", "session_hours",
                                    "neighbourhoods", "neighbourhood_name_property", "osm_login"})
        public_url = self.optional_text(raw, "web.public_url")
        if public_url is not None:
            public_url = self.url(public_url, "web.public_url").rstrip("/")
        public_read = raw.get("public_read", False)
        if not isinstance(public_read, bool):
            raise self.fail("web.public_read", "expected true or false")
        osm_login = None
        if "osm_login" in raw:
            osm_login = self.osm_login(self.table(raw, "web.osm_login"))
        return WebConfig(
            public_url=public_url,
            secret_key=secret_key,
            secret_key_file=self.path(raw, "web.secret_key_file") if "secret_key_file" in raw else None,
            public_read=public_read,
            session_hours=float(self.number(raw, "web.session_hours", 12.0)),
            neighbourhoods=self.path(raw, "web.neighbourhoods") if "neighbourhoods" in raw else None,
            neighbourhood_name_property=self.optional_text(raw, "web.neighbourhood_name_property"),
            osm_login=osm_login,
        )

    def osm_login(self, raw: Mapping[str, Any]) -> OsmLoginConfig:
        where = "web.osm_login"
        self.only_keys(raw, where, {"client_id", "client_secret", "server_url", "api_url", "allow_new_mappers"})
        server_url = self.url(self.text(raw, f"{where}.server_url", DEFAULT_OSM_SERVER), f"{where}.server_url")
        allow_new = raw.get("allow_new_mappers", False)
        if not isinstance(allow_new, bool):
            raise self.fail(f"{where}.allow_new_mappers", "expected true or false")
        secret = self.text(raw, f"{where}.client_secret")
        if "${" not in secret:
            raise self.fail(f"{where}.client_secret", "write \"${NAME}\" and set the environment variable NAME: "
                            "a secret does not belong in config.toml")
        return OsmLoginConfig(
            client_id=self.expand(self.text(raw, f"{where}.client_id"), f"{where}.client_id"),
            client_secret=self.expand(secret, f"{where}.client_secret"),
            server_url=server_url.rstrip("/"),
            api_url=self.url(self.text(raw, f"{where}.api_url", server_url), f"{where}.api_url").rstrip("/"),
            allow_new_mappers=allow_new,
        )

    def url(self, value: str, key: str) -> str:
        value = self.expand(value, key)
        if not value.startswith(("http://", "https://")):
            raise self.fail(key, "expected an http:// or https:// address")
        return value


def bbox_problem(south: float, west: float, north: float, east: float) -> str | None:
    """Say what is wrong with a [south, west, north, east] bbox, or None when it is a valid area."""
    shown = f"[{south:g}, {west:g}, {north:g}, {east:g}]"
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        wrong = "south" if not -90 <= south <= 90 else "north"
        value = south if wrong == "south" else north
        # Both "latitudes" out of range and both "longitudes" valid latitudes: the two pairs were swapped.
        if (not -90 <= south <= 90 and not -90 <= north <= 90 and -90 <= west <= 90 and -90 <= east <= 90
                and max(abs(south), abs(north)) <= 180):
            return (f"{wrong} {value:g} is not a latitude (-90..90): {shown} looks written [west, south, east, "
                    f"north]; write [{west:g}, {south:g}, {east:g}, {north:g}]")
        return f"{wrong} {value:g} is not a latitude (-90..90)"
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        wrong = "west" if not -180 <= west <= 180 else "east"
        return f"{wrong} {west if wrong == 'west' else east:g} is not a longitude (-180..180)"
    if south >= north:
        return f"south {south:g} is not below north {north:g}"
    if west >= east:
        return f"west {west:g} is not below east {east:g} (a bbox across the antimeridian is not supported)"
    return None


def _leaf(key: str) -> str:
    """The last part of a dotted key: "datasets.x.source.kind" -> "kind"."""
    return key.rsplit(".", 1)[-1]
