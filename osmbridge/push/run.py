"""`push_dataset`: what the CLI, the scheduler and the web app call to push one dataset's accepted items.

It builds the pieces from the config (store, OSM API client with the token, changeset tags, the
mapping's rules, the city target) and runs the OSM push and the city push; each direction goes
through the licence gate first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import requests

from osmbridge.config import Config, DatasetConfig
from osmbridge.errors import OsmbridgeError
from osmbridge.mapping import load_mapping
from osmbridge.model import PRODUCER_ID_SEPARATOR, SourceSpec, record_id_of
from osmbridge.plan.city_changes import ClosedColumn
from osmbridge.plan.osm_changes import PlanRules
from osmbridge.push.api import CREATED_BY, OsmApiClient, bearer_session
from osmbridge.push.auth import load_token
from osmbridge.push.changesets import ChangesetOptions
from osmbridge.push.city_push import CityPushResult, CityTarget, Item, push_to_city
from osmbridge.push.licence import check_to_city, check_to_osm, find_licence, gated
from osmbridge.push.osm_push import Checkpoint, OsmPusher, OsmPushResult, PushOptions, no_checkpoint, utc_now
from osmbridge.store import Store
from osmbridge.store.journal import PushJournal
from osmbridge.store.push_lock import PushBusy, push_lock
from osmbridge.store.snapshots import latest_places

Target = Literal["osm", "city"]


@dataclass(frozen=True, slots=True)
class PushSummary:
    """What a push of one dataset did, direction by direction; `errors` holds a failed direction's message."""

    dataset: str
    osm: OsmPushResult | None = None
    city: tuple[CityPushResult, ...] = ()  # one per producer of the dataset (one for a one-source dataset)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def push_dataset(config: Config, dataset: str, *, targets: Sequence[Target] = ("osm", "city"),
                 dry_run: bool = False, out_dir: Path | None = None, checkpoint: Checkpoint = no_checkpoint,
                 clock: Callable[[], str] = utc_now) -> PushSummary:
    """Push the dataset's accepted items to OSM and/or the city; a failed direction does not stop the other."""
    settings = config.dataset(dataset)
    store = Store(config.store_url)
    errors: dict[str, str] = {}
    osm_result: OsmPushResult | None = None
    city_result: tuple[CityPushResult, ...] = ()
    try:
        # A dry run writes nothing to the store or to OSM: it may run beside a real push.
        with nullcontext() if dry_run else push_lock(store.engine, dataset):
            osm_result, city_result = _push_both(config, settings, store, targets, dry_run, out_dir, checkpoint,
                                                 clock, errors)
    except PushBusy as busy:
        errors["push"] = str(busy)
    finally:
        store.close()
    return PushSummary(dataset, osm_result, city_result, errors)


def _push_both(config: Config, settings: DatasetConfig, store: Store, targets: Sequence[Target], dry_run: bool,
               out_dir: Path | None, checkpoint: Checkpoint, clock: Callable[[], str],
               errors: dict[str, str]) -> tuple[OsmPushResult | None, tuple[CityPushResult, ...]]:
    osm_result: OsmPushResult | None = None
    city_result: tuple[CityPushResult, ...] = ()
    if "osm" in targets:
        try:
            osm_result = _push_osm(config, settings, store, dry_run, out_dir, checkpoint, clock)
        except OsmbridgeError as error:
            errors["osm"] = str(error)
    if "city" in targets:
        try:
            city_result = _push_city(config, settings, store, dry_run, clock)
        except OsmbridgeError as error:
            errors["city"] = str(error)
    return osm_result, city_result


def changeset_options(settings: DatasetConfig) -> ChangesetOptions:
    """The changeset tags and sizes of a dataset, with defaults built from its title and licence."""
    push = settings.push
    known = find_licence(settings.licence)
    return ChangesetOptions(
        comment=push.comment or f"{settings.title}: reviewed updates from the city's open data",
        source=push.source or settings.title, licence=known.id if known else settings.licence,
        hashtags=push.hashtags, import_page=push.import_page, max_changes=push.max_changes,
        max_span_m=push.max_span_m)


def _client(config: Config, *, write: bool) -> OsmApiClient:
    api = config.osm_api
    if write:
        session = bearer_session(load_token(api.token, api.token_file))
    else:
        # Reads need no token; without one nothing can be written, whatever happens.
        session = requests.Session()
        session.headers["User-Agent"] = CREATED_BY
    return OsmApiClient(api.url, session, timeout_s=api.timeout_s, retries=api.retries, backoff_s=api.backoff_s)


def _push_osm(config: Config, settings: DatasetConfig, store: Store, dry_run: bool, out_dir: Path | None,
              checkpoint: Checkpoint, clock: Callable[[], str]) -> OsmPushResult:
    verdict = check_to_osm(settings.licence, settings.licence_waiver)
    items = store.accepted_items(settings.name, "to_osm")
    mapping = load_mapping(settings.mapping)
    options = PushOptions(
        dataset=settings.name, changesets=changeset_options(settings),
        rules=PlanRules(move_nodes=mapping.move_nodes, delete_closed=mapping.delete_closed), dry_run=dry_run,
        out_dir=out_dir or config.reports_dir / settings.name / "push" / "dry-run")
    blocked = tuple(sorted(d.id for d, _ in items if verdict.blocked and gated(d, "to_osm")))
    if blocked and len(blocked) == len(items):
        return OsmPushResult(settings.name, dry_run, verdict, blocked=blocked)
    journal = PushJournal(store.engine)
    if not items and (dry_run or not journal.unfinished(settings.name)):
        return OsmPushResult(settings.name, dry_run, verdict)  # nothing to do: no token needed, nothing contacted
    client = _client(config, write=not dry_run)
    if dry_run:
        return OsmPusher(client, None, None, options, clock=clock).push(items, verdict)
    return OsmPusher(client, journal, store, options, checkpoint=checkpoint, clock=clock).push(items, verdict)


def _push_city(config: Config, settings: DatasetConfig, store: Store, dry_run: bool,
               clock: Callable[[], str]) -> tuple[CityPushResult, ...]:
    """Write the accepted corrections into the city's data: one source, or each producer's own."""
    items = store.accepted_items(settings.name, "to_city")
    folder = config.reports_dir / settings.name / "city-push"
    if not settings.producers:
        city = settings.push.city
        output = city.output or folder / Path(settings.source.location).name
        return (_push_city_source(config, settings, store, items, dry_run, clock, licence=settings.licence,
                                  mapping_path=settings.mapping, source=settings.source, output=output,
                                  log=folder / "city-changes.csv"),)
    if settings.push.city.database is not None or settings.push.city.output is not None:
        raise OsmbridgeError(f"{settings.name}: a dataset with producers writes each producer's corrections into "
                             f"a copy of that producer's own file (city-push/<producer>/); remove "
                             f"[datasets.{settings.name}.push.city] output/database")
    results = []
    for n, producer in enumerate(settings.producers):
        prefix = producer.name + PRODUCER_ID_SEPARATOR
        # The producer's records under their own ids (as its file holds them); a record-less item (a
        # place only OSM has) goes to the most trusted producer.
        own = [(replace(d, source_id=record_id_of(d.source_id, producer.name) if d.source_id else None), decision)
               for d, decision in items if (d.source_id or "").startswith(prefix) or (n == 0 and not d.source_id)]
        place = folder / producer.name
        results.append(_push_city_source(
            config, settings, store, own, dry_run, clock, licence=producer.producer.licence or settings.licence,
            mapping_path=producer.mapping, source=producer.source, output=place / Path(producer.source.location).name,
            log=place / "city-changes.csv", producer=producer.name))
    return tuple(results)


def _push_city_source(config: Config, settings: DatasetConfig, store: Store, items: Sequence[Item], dry_run: bool,
                      clock: Callable[[], str], *, licence: str, mapping_path: Path, source: SourceSpec,
                      output: Path, log: Path, producer: str = "") -> CityPushResult:
    verdict = check_to_city(licence, settings.attribution)
    mapping = load_mapping(mapping_path)
    closed = ClosedColumn(mapping.closed.field, mapping.closed.written) if mapping.closed else None
    if settings.push.city.database is not None:
        target = CityTarget(log=log, database=settings.push.city.database, closed=closed)
    else:
        target = CityTarget(log=log, source=source, id_field=mapping.id_field, output=output, closed=closed)
    if not items or all(verdict.blocked and gated(d, "to_city") for d, _ in items):
        return CityPushResult(settings.name, dry_run, verdict, producer=producer,
                              blocked=tuple(sorted(d.id for d, _ in items)) if verdict.blocked else ())
    # What the last run read of these records: what the reviewer saw.
    prefix = producer + PRODUCER_ID_SEPARATOR if producer else ""
    seen, _ = latest_places(store.engine, settings.name, [prefix + d.source_id for d, _ in items if d.source_id], [])
    seen = {source_id[len(prefix):]: record for source_id, record in seen.items()}
    result = push_to_city(settings.name, items, verdict, target,
                          city_fields={source_id: record.fields for source_id, record in seen.items()},
                          city_tags={source_id: record.tags for source_id, record in seen.items()},
                          ledger=store, client=_client(config, write=False), dry_run=dry_run, clock=clock)
    return replace(result, producer=producer)
