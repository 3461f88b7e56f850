"""Typed records passed between the stages: sources -> osm -> match -> diff -> review -> push -> report.

Every stage takes and returns these frozen dataclasses; a new state is a new object
(`dataclasses.replace`). Geometries are shapely objects in WGS84 (x = longitude, y = latitude).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

OsmType = Literal["n", "w", "r"]


# --- messages ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """A message from a pure stage as data: a catalogue code and its parameters.

    The edge that shows it (report, web page, CLI) renders it in the reader's language with
    `osmbridge.i18n.render_note`. A parameter is text, a number, or another Note (or tuple of
    Notes) rendered in the same language first.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


Notes = tuple[Note, ...]


# --- city side ---------------------------------------------------------------------------------

SourceKind = Literal["csv", "geojson", "json", "opendatasoft"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Where and how to read one city dataset (from config.toml's `[datasets.X.source]`)."""

    kind: SourceKind
    location: str  # file path, or the portal's base URL for `opendatasoft`
    dataset_id: str | None = None  # portal dataset identifier (opendatasoft)
    crs: str = "EPSG:4326"  # CRS of the coordinates in the source; converted to WGS84
    lat_field: str | None = None  # CSV/JSON: latitude (or y) column
    lon_field: str | None = None  # CSV/JSON: longitude (or x) column
    geometry_field: str | None = None  # CSV/JSON: a column holding WKT or GeoJSON text/object
    encoding: str | None = None  # None = detect (UTF-8 with/without BOM, then CP1252/Latin-1)
    delimiter: str | None = None  # None = detect among , ; tab
    records_path: str | None = None  # JSON: dotted key of the list of records ("data.items")
    where: str | None = None  # opendatasoft: ODSQL filter
    page_size: int = 100  # opendatasoft: records per request
    timeout_s: float = 60.0
    http_cache: str | None = None  # folder keeping portal answers for conditional requests (ETag, Last-Modified)
    contact: str | None = None  # who runs this osmbridge, named in the User-Agent ([service] contact)


@dataclass(frozen=True, slots=True)
class CityPlace:
    """One record of a city dataset as read: its id, WGS84 geometry and raw fields."""

    dataset: str
    source_id: str
    geometry: BaseGeometry
    fields: Mapping[str, Any]  # raw values as found in the source (str, numbers, None)
    licence: str  # SPDX-like id of the dataset's licence, e.g. "ODbL-1.0", "etalab-2.0"
    origin: str  # where it was read, for messages: "file.csv:12", "file.geojson#feature 3"
    producer: str = ""  # the producer it came from ("" in a dataset with one source); see `Producer`


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record left out of a run because it was invalid (`--skip-invalid`)."""

    origin: str  # "file.csv:12", "https://portal/...#record 40"
    field: str | None
    problem: str


@dataclass(frozen=True, slots=True)
class CityFeature:
    """A city place seen through a tag mapping: the OSM tags the city asserts for it."""

    place: CityPlace
    mapping: str  # the mapping's name
    category: str  # the category value that selected the rule
    name: str | None
    tags: Mapping[str, str]  # proposed OSM tags: primary tag(s), ref tag, mapped fields
    # OSM tags that count as the same kind of feature; value "*" = any value of that key.
    match_tags: tuple[tuple[str, str], ...]
    match_distance_m: float
    ref_tag: str | None = None  # the tag linking OSM to the city id (e.g. "ref:FR:NM")
    city_authoritative: frozenset[str] = frozenset()  # tags the city is the reference for
    osm_only: frozenset[str] = frozenset()  # tags only OSM maintains (never proposed to OSM)
    field_of_tag: Mapping[str, str] = field(default_factory=dict)  # tag -> city column it came from
    closed: bool = False  # the city marks the place closed / out of service
    # The tags the category itself sets (amenity=recycling, recycling:glass_bottles=yes), without the
    # record's own fields: what tells one category from another on an OSM place.
    category_tags: Mapping[str, str] = field(default_factory=dict)
    # Tags holding a city value as written because the mapping's transform refused it (on_error =
    # "keep"): shown to people, never proposed to OSM.
    raw_tags: frozenset[str] = frozenset()

    @property
    def source_id(self) -> str:
        return self.place.source_id

    @property
    def geometry(self) -> BaseGeometry:
        return self.place.geometry

    @property
    def producer(self) -> str:
        return self.place.producer


# --- OSM side ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OsmPlace:
    """A place read from OSM (node, way or relation), copied out of the reader."""

    osm_type: OsmType
    osm_id: int
    version: int  # 0 when the source carries no version (some exports)
    geometry: BaseGeometry  # Point for nodes; LineString/Polygon/MultiPolygon for ways/relations
    tags: Mapping[str, str]
    center: Point  # a display position inside or on the feature
    timestamp: str | None = None  # ISO 8601, when known

    @property
    def key(self) -> str:
        """The short id used everywhere: n123, w45, r6."""
        return f"{self.osm_type}{self.osm_id}"


@dataclass(frozen=True, slots=True)
class DroppedOsmObject:
    """An OSM object of the mapped types that the reader could not turn into a place.

    A multipolygon whose rings osmium cannot assemble, a relation or way whose members are missing
    from the extract: it exists in OSM, so no city place next to it (or of its name) may be created.
    """

    osm_type: OsmType
    osm_id: int
    tags: Mapping[str, str]
    reason: str  # "multipolygon_not_assembled", "relation_without_locations", "way_without_locations"
    geometry: BaseGeometry | None = None  # what is known of it (member ways, a point), WGS84; None if nothing

    @property
    def key(self) -> str:
        return f"{self.osm_type}{self.osm_id}"


@dataclass(frozen=True, slots=True)
class Area:
    """Where a dataset lives: an OSM relation (admin boundary) and/or a bounding box."""

    name: str = ""
    relation_id: int | None = None  # e.g. Nantes Métropole's boundary relation
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east (WGS84)


@dataclass(frozen=True, slots=True)
class TagFilter:
    """One OSM tag condition a mapping asks for: key=value, or key present when value is None."""

    key: str
    value: str | None = None

    def accepts(self, tags: Mapping[str, str]) -> bool:
        if self.key not in tags:
            return False
        return self.value is None or tags[self.key] == self.value


# --- matching ----------------------------------------------------------------------------------

MatchStatus = Literal["matched", "ambiguous", "city_only", "osm_only", "duplicate"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a city place and an OSM place were (or were not) linked."""

    distance_m: float | None = None  # to the OSM geometry's edge, 0 inside a polygon
    name_similarity: float | None = None  # 0..100 after normalisation
    type_check: str = "n/a"  # "same", "compatible", "n/a"
    ref_match: bool = False
    address_agrees: bool | None = None
    phone_agrees: bool | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome for one city place or one OSM place."""

    source_id: str | None  # None for an OSM-only place
    osm_key: str | None  # "n123" / "w45" / "r6"; None when nothing was linked
    status: MatchStatus
    method: str  # "ref", "geometry+name", "geometry", "decision", "none", ...
    score: float  # 0..1
    evidence: Evidence | None = None
    candidates: tuple[str, ...] = ()  # OSM keys offered for review (ambiguous), or the duplicate's twin
    note: Notes = ()  # why: linked by ref, close call, decision ignored...

    @property
    def note_codes(self) -> tuple[str, ...]:
        """The codes of the explanations, in order, each once ("close_call", "isolated"...)."""
        return tuple(dict.fromkeys(n.code for n in self.note))


MatchVerdict = Literal["same", "not_same", "no_counterpart"]


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """A person's sticky verdict on a link; honoured until either side changes materially."""

    dataset: str
    source_id: str
    verdict: MatchVerdict
    osm_key: str | None  # required for "same" / "not_same"
    city_fingerprint: str  # fingerprint of the city place when decided
    osm_fingerprint: str | None  # fingerprint of the OSM place when decided
    author: str = ""
    decided_at: str = ""  # ISO 8601


# --- differences -------------------------------------------------------------------------------

DiffKind = Literal[
    "differs",  # both have the field, values differ in meaning
    "minor",  # differ only in case/formatting a person may still want to see
    "only_city",  # city has it, OSM does not
    "only_osm",  # OSM has it, city does not
    "position",  # matched places further apart than the mapping's threshold
    "lifecycle",  # city says closed, OSM still has it active
    "missing_in_osm",  # a city place with no OSM counterpart
    "missing_in_city",  # an OSM place in the dataset's area and types with no city record
    "ambiguous",  # the matcher could not decide; a person must
    "duplicate",  # two records on one side for one place
    # What a field agent saw on the ground (osmbridge.survey); never produced by a run.
    "survey_exists",  # the place is there: check_date to OSM
    "survey_closed",  # the place is closed: lifecycle prefix in OSM, closed in the city
    "survey_moved",  # the place is elsewhere: "lat,lon" where the agent tapped
    "survey_value",  # a value read on the spot (opening hours, the name on the door) for `field`
    "osm_note",  # an open OSM note next to a city place reports it closed or a value wrong (field: "note:<id>")
    "producers_disagree",  # two producers of the dataset give one place different values for a field
]
# Kinds a field agent's answer creates; runs leave their review items alone.
SURVEY_KINDS: frozenset[str] = frozenset({"survey_exists", "survey_closed", "survey_moved", "survey_value"})
ChangedSide = Literal["city", "osm", "both", "none", "unknown"]
Proposal = Literal["to_osm", "to_city", "conflict", "disagreement", "review"]


@dataclass(frozen=True, slots=True)
class TagEdit:
    """The OSM tag changes a proposal makes when it is more than "set `field` to the city value".

    A lifecycle move removes `amenity` and adds `disused:amenity` with its value; a creation sets
    the new node's tags. Report writers and the push stage apply it as is, never re-parsing text.
    """

    set_tags: tuple[tuple[str, str], ...] = ()  # (key, value), sorted by key
    unset_tags: tuple[str, ...] = ()  # keys removed, sorted

    @classmethod
    def of(cls, set_tags: Mapping[str, str], unset_tags: Iterable[str] = ()) -> TagEdit:
        return cls(tuple(sorted(set_tags.items())), tuple(sorted(set(unset_tags))))

    def apply(self, tags: Mapping[str, str]) -> dict[str, str]:
        """Return `tags` with this edit applied."""
        edited = {key: value for key, value in tags.items() if key not in self.unset_tags}
        edited.update(self.set_tags)
        return edited


@dataclass(frozen=True, slots=True)
class Difference:
    """One disagreement between the city and OSM, with a stable id across runs."""

    id: str  # stable: same place + field + values -> same id
    dataset: str
    kind: DiffKind
    source_id: str | None
    osm_key: str | None
    field: str | None  # OSM tag key; None for place-level kinds
    city_value: str | None
    osm_value: str | None
    changed_side: ChangedSide
    proposal: Proposal
    lon: float  # display position
    lat: float
    category: str = ""
    name: str | None = None
    osm_version: int | None = None
    city_field: str | None = None  # the city column behind `field`, for city-side corrections
    base_city_value: str | None = None  # value at the last sync, when known
    base_osm_value: str | None = None
    distance_m: float | None = None  # for "position"
    note: Notes = ()  # e.g. Note("city_hours_raw"): city opening hours not parseable, shown raw
    # The tag changes of a lifecycle move or a creation (None for field kinds: set `field`).
    osm_edit: TagEdit | None = None
    # survey_* kinds: what the field agent saw, the value accepting the item sends to its side.
    survey_value: str | None = None
    # Datasets with several producers: the producers the item is routed to, the one holding the
    # field first (for "producers_disagree", then the producer whose record disagrees with it).
    producers: tuple[str, ...] = ()
    # "producers_disagree": what each producer says, (producer, value), the holder first.
    producer_values: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class SyncBase:
    """What each side looked like at the last sync: the base of the three-way diff."""

    city_tags: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # source_id -> tags
    osm_tags: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # osm key -> tags
    city_closed: frozenset[str] = frozenset()  # source_ids the city marked closed at the last sync
    # Display positions (lon, lat) at the last sync, for "who moved"; absent for bases older than them.
    city_positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # source_id -> (lon, lat)
    osm_positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # osm key -> (lon, lat)
    # What each place was linked to at the last sync: a link gone since says which side lost it.
    city_links: Mapping[str, str] = field(default_factory=dict)  # source_id -> osm key
    osm_links: Mapping[str, str] = field(default_factory=dict)  # osm key -> source_id

    @property
    def empty(self) -> bool:
        return not self.city_tags and not self.osm_tags


@dataclass(frozen=True, slots=True)
class SyncBaseUpdate:
    """What one run moves into the sync base (decided by the diff stage; the store merges it in).

    Tags are merged into each place's base; a None value removes that tag from it.
    """

    city: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)  # source_id -> tags
    osm: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)  # osm key -> tags
    city_closed: Mapping[str, bool] = field(default_factory=dict)  # source_id -> closed, where agreed
    # Positions (lon, lat) moved forward where both sides agree on the place's position.
    city_positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    osm_positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    # Links of the pairs matched in this run (source_id -> osm key, osm key -> source_id).
    city_links: Mapping[str, str] = field(default_factory=dict)
    osm_links: Mapping[str, str] = field(default_factory=dict)


# --- OSM notes ---------------------------------------------------------------------------------

# open; closed (resolved by someone); hidden (removed by a moderator: the API answers 410 Gone).
NoteStatus = Literal["open", "closed", "hidden"]
# What a note's text reports about the place next to it: the place is gone, or a value is wrong.
NoteConcern = Literal["closure", "wrong_value"]
# How an item came to follow a note: osmbridge created it, or found one open nearby and linked it.
NoteLinkOrigin = Literal["created", "existing"]
OSM_NOTE_FIELD_PREFIX = "note:"  # the `field` of an osm_note difference: "note:<id>"


@dataclass(frozen=True, slots=True)
class NoteComment:
    """One event of an OSM note: opened, commented, closed, reopened or hidden; by whom, when, saying what."""

    action: str  # opened | commented | closed | reopened | hidden
    date: str  # ISO 8601, UTC
    user: str | None  # the OSM display name; None when anonymous
    text: str = ""


@dataclass(frozen=True, slots=True)
class OsmNote:
    """An OSM note as the API 0.6 returns it."""

    id: int
    lon: float
    lat: float
    status: NoteStatus
    created_at: str  # ISO 8601, UTC
    closed_at: str | None = None
    comments: tuple[NoteComment, ...] = ()

    @property
    def text(self) -> str:
        """What the note says: the text it was opened with."""
        return next((c.text for c in self.comments if c.action == "opened"), "")


@dataclass(frozen=True, slots=True)
class PlaceNote:
    """An OSM note within reach of one of a dataset's places, and what its text reports about it."""

    note: OsmNote
    source_id: str | None  # the nearest place: its city record (None for a place only OSM has)...
    osm_key: str | None  # ...and its OSM object, when it has one
    name: str | None
    category: str
    distance_m: float
    concern: NoteConcern | None = None  # None: the text reports neither a closure nor a wrong value
    keyword: str | None = None  # the words that told the concern, as written in the note
# --- producers ---------------------------------------------------------------------------------

# Between a producer's name and its record's own id in the source ids of a dataset with several
# producers ("sante:DAE-12"): each producer numbers its records its own way.
PRODUCER_ID_SEPARATOR = ":"


def producer_source_id(producer: str, record_id: str) -> str:
    """Return the dataset-wide id of one producer's record: "producer:record id"."""
    return f"{producer}{PRODUCER_ID_SEPARATOR}{record_id}"


def record_id_of(source_id: str, producer: str) -> str:
    """Return the producer's own id of a record from its dataset-wide id (the id as the producer wrote it)."""
    prefix = producer + PRODUCER_ID_SEPARATOR
    return source_id[len(prefix):] if producer and source_id.startswith(prefix) else source_id


@dataclass(frozen=True, slots=True)
class Producer:
    """One city-side source of a dataset's places (a department, an association's list) and who answers for it.

    Where producers say different things about a place, the field goes to the producer that holds
    it: the one configured for it (`holds`), else the most trusted one with a value.
    """

    name: str  # the config key: [datasets.X.producers.NAME]
    title: str  # shown to people
    owner: str  # who answers for the data: a department, an association
    contact: str = ""  # an e-mail address or URL
    licence: str = ""
    trust: int = 50  # 0..100
    holds: frozenset[str] = frozenset()  # OSM tags it holds whatever the others' trust
    city_url_template: str | None = None  # link to one of its records; "{id}" replaced by its own id


@dataclass(frozen=True, slots=True)
class PlaceGroup:
    """One place as the producers see it: each producer's record for it, and its OSM place if any."""

    records: tuple[tuple[str, str], ...]  # (producer, source_id), the most trusted producer first
    osm_key: str | None = None

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(source_id for _, source_id in self.records)


@dataclass(frozen=True, slots=True)
class ProducerStats:
    """What one producer brought to one run, and how well it agrees with OSM (its "freshness" row)."""

    producer: str
    records: int  # records read and mapped
    matched: int  # linked to an OSM place
    linked: int  # in one place with another producer's record
    fields_compared: int  # fields of its linked records with a value on both sides
    fields_agreed: int  # of those, the same in meaning (formatting aside)
    routed: int  # differences routed to it: it holds the field
    disagreements: int  # "producers_disagree" differences naming it
    digest: str  # of its records as read: a new digest means new data
    data_date: str | None = None  # the data's own date: its newest record update, or its file's date
    last_change: str | None = None  # when osmbridge first read its current data (a run's start)

    @property
    def share_agreed(self) -> float | None:
        """The share of its compared fields that agree with OSM (None when nothing was compared)."""
        return self.fields_agreed / self.fields_compared if self.fields_compared else None


# --- runs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunCounts:
    """Headline counts of one dataset in one run, kept for the history trend."""

    run_id: int
    started_at: str  # ISO 8601
    city_places: int
    osm_places: int
    matched: int
    ambiguous: int
    missing_in_osm: int
    missing_in_city: int
    differences: int
    skipped: int


@dataclass(frozen=True, slots=True)
class DataSource:
    """Where one side's data came from, as reports name it: a file name or a URL, never a local folder."""

    name: str  # "equipements.csv", "https://data.example.org (dataset-id)", "Overpass https://..."
    date: str | None  # ISO 8601: the data's own date (an extract's timestamp) or when it was read live


@dataclass(frozen=True, slots=True)
class DatasetResult:
    """Everything one run learnt about one dataset; the input of the report writers."""

    dataset: str
    licence: str
    run_id: int
    started_at: str
    city: tuple[CityFeature, ...]
    osm: tuple[OsmPlace, ...]
    matches: tuple[Match, ...]
    differences: tuple[Difference, ...]
    skipped: tuple[SkippedRecord, ...] = ()
    history: tuple[RunCounts, ...] = ()  # earlier runs, oldest first, this one last
    city_url_template: str | None = None  # link to a city record; "{id}" replaced by source_id
    city_source: DataSource | None = None
    osm_source: DataSource | None = None
    osm_dropped: tuple[DroppedOsmObject, ...] = ()  # OSM objects of the mapped types the reader could not place
    review_url_template: str | None = None  # the review server's item page; "{id}" replaced by the difference id
    licence_waiver: str | None = None  # recorded permission for OSM (the licence gate reads it)
    attribution: str | None = None  # the attribution the city publishes (the licence gate reads it)
    osm_notes: tuple[PlaceNote, ...] = ()  # OSM notes near the places (when the dataset reads them)
    osm_notes_problem: str | None = None  # why the notes could not be read this run (the last known are kept)
    # Datasets with several producers: who they are, each place as they see it, what each brought.
    producers: tuple[Producer, ...] = ()  # the most trusted first
    groups: tuple[PlaceGroup, ...] = ()
    producer_stats: tuple[ProducerStats, ...] = ()


# --- review ------------------------------------------------------------------------------------

# open: nobody decided yet; accepted: the proposed value goes to `direction`; edited: a reviewer typed
# the right value, which goes to `direction`; stale: either side changed since the decision;
# match_decided: a match verdict (same / not same / no counterpart / a chosen candidate) settles the
# item, the next run re-matches it; pushed: the push stage wrote the value; resolved: the difference
# is gone from the latest run (both sides agree, or the place left the dataset).
ReviewState = Literal["open", "accepted", "edited", "rejected", "deferred", "needs_survey", "stale",
                      "match_decided", "pushed", "resolved"]
Direction = Literal["to_osm", "to_city"]


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's verdict on one difference (one field of one place), kept across runs by its id.

    The push stage acts only on `accepted` and `edited` decisions, paired with the difference they
    decided; what the reviewer saw (`seen_*`) tells whether either side changed since.
    """

    difference_id: str
    dataset: str
    state: ReviewState
    direction: Direction | None = None  # accepted/edited: the side that receives the value
    value: str | None = None  # accepted/edited: the value to write there (the reviewer's, if edited)
    reason: str = ""  # rejected/deferred/needs_survey: why
    author: str = ""
    decided_at: str = ""  # ISO 8601
    seen_city_value: str | None = None
    seen_osm_value: str | None = None
    seen_osm_version: int | None = None
    match_verdict: MatchVerdict | None = None  # match_decided: the verdict given ("same" for a chosen candidate)
    push_ref: str = ""  # pushed: the changeset id ("osm:changeset/123") or the city change-log reference


# --- people ------------------------------------------------------------------------------------

# mapper: decides what goes to OSM; city_staff: what goes to the city; admin: users and datasets;
# field_agent: records what they see on the ground (survey pages), decides nothing.
Role = Literal["mapper", "city_staff", "admin", "field_agent"]
