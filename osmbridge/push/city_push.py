"""Push accepted corrections into the city's data: a patched copy of its file, or its database table.

Corrections are OSM values accepted for the city, and what field agents saw on the ground (survey
items: check_date, a value read, the closure). Steps: the licence gate (OSM data only goes into an
ODbL dataset that credits the OSM contributors; an agent's observation is no OSM data); re-read each
OSM element a value comes from (its tag must still be what the reviewer saw; its version and
changeset go in the change log); check each city record still holds what the reviewer saw; write the
copy (temp file + rename) or update the table (one transaction); append to the change log; mark the
items pushed, or stale. Items already in the change log are not written again, so a push can be
repeated after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osmbridge.config_push import CityDatabaseConfig
from osmbridge.model import SURVEY_KINDS, Decision, Difference, SourceSpec
from osmbridge.plan.city_changes import ClosedColumn, CityCorrection, plan_city_corrections
from osmbridge.plan.osm_changes import Refusal
from osmbridge.push.api import OsmApiClient
from osmbridge.push.city_database import write_city_database
from osmbridge.push.city_files import FieldChange, patch_city_file
from osmbridge.push.city_log import LoggedChange, logged, read_log, write_log
from osmbridge.push.licence import OSM_ATTRIBUTION, LicenceVerdict, gated
from osmbridge.push.messages import message
from osmbridge.push.osm_push import ReviewLedger, utc_now

Item = tuple[Difference, Decision]


@dataclass(frozen=True, slots=True)
class CityTarget:
    """Where corrections go: a patched copy of the source file, or a database table; and the change log."""

    log: Path
    source: SourceSpec | None = None  # file mode: the city's file ...
    id_field: str = ""  # ... its id column ...
    output: Path | None = None  # ... and where the patched copy goes
    database: CityDatabaseConfig | None = None
    closed: ClosedColumn | None = None  # how a record says it is closed (the mapping's `closed`)


@dataclass(frozen=True, slots=True)
class CityPushResult:
    dataset: str
    dry_run: bool
    licence: LicenceVerdict
    written: tuple[CityCorrection, ...] = ()  # includes values the city already had (nothing to change)
    stale: tuple[Refusal, ...] = ()
    refused: tuple[Refusal, ...] = ()
    blocked: tuple[str, ...] = ()
    output: Path | None = None
    log: Path | None = None
    producer: str = ""  # the producer whose data this is (datasets with several producers)


def push_to_city(dataset: str, items: Sequence[Item], licence: LicenceVerdict, target: CityTarget, *,
                 city_fields: Mapping[str, Mapping[str, Any]], ledger: ReviewLedger | None,
                 client: OsmApiClient | None = None, dry_run: bool = False,
                 clock: Callable[[], str] = utc_now,
                 city_tags: Mapping[str, Mapping[str, str]] | None = None) -> CityPushResult:
    """Write accepted `to_city` items into the city's data (see the module docstring).

    `city_fields` / `city_tags`: the records as the last run read and mapped them (what reviewers saw).
    """
    items = [(d, dec) for d, dec in items if dec.direction == "to_city"]
    blocked = tuple(sorted(d.id for d, _ in items if licence.blocked and gated(d, "to_city")))
    items = [(d, dec) for d, dec in items if d.id not in blocked]
    if not items:
        return CityPushResult(dataset, dry_run, licence, blocked=blocked)
    previous = read_log(target.log)
    logged_items = {change.item for change in previous}
    already = [(d, dec) for d, dec in items if (d.id, dec.decided_at) in logged_items]
    todo = [(d, dec) for d, dec in items if (d.id, dec.decided_at) not in logged_items]
    # Only OSM values are checked against OSM now; an agent's observation is checked against the city.
    keys = {d.osm_key for d, _ in todo if d.osm_key and d.kind not in SURVEY_KINDS and d.kind != "producers_disagree"}
    osm_now = client.read_elements(keys) if client is not None and keys else ({} if client is not None else None)
    corrections, refusals = plan_city_corrections(todo, city_fields, osm_now, city_tags=city_tags,
                                                  closed=target.closed)
    statuses, written_to, output = _write(target, previous, corrections, dry_run)
    stale = [r for r in refusals if r.stale]
    refused = [r for r in refusals if not r.stale]
    done: list[CityCorrection] = []
    for correction, status in zip(corrections, statuses, strict=True):
        if status in ("written", "present"):
            done.append(correction)
        elif status == "changed":
            stale.append(Refusal(correction.difference_id, "city.value_changed",
                                 {"record": correction.record, "field": correction.field,
                                  "seen": correction.old or ""}, stale=True))
        else:
            stale.append(Refusal(correction.difference_id, "city.record_missing", {"record": correction.record},
                                 stale=True))
    log = target.log
    now = clock()
    new_rows = [logged(c, now, _credit(c), written_to)
                for c in done]
    if dry_run:
        log = target.log.with_name(target.log.stem + ".preview.csv")
        write_log(log, [*previous, *new_rows])
        return CityPushResult(dataset, True, licence, tuple(done), tuple(stale), tuple(refused), blocked, output,
                              log)
    if new_rows:
        write_log(target.log, [*previous, *new_rows])
    if ledger is not None:
        still = {d.id for d, _ in ledger.accepted_items(dataset, "to_city")}
        to_mark = [c.difference_id for c in done] + [d.id for d, _ in already]
        to_mark = [i for i in dict.fromkeys(to_mark) if i in still]
        if to_mark:
            ledger.mark_pushed(to_mark, f"city:{target.log.name}", now=now)
        for refusal in stale:
            if refusal.difference_id in still:
                ledger.mark_stale(refusal.difference_id, message(refusal.code, refusal.params), now=now)
    return CityPushResult(dataset, False, licence, tuple(done), tuple(stale), tuple(refused), blocked, output, log)


def _write(target: CityTarget, previous: Sequence[LoggedChange], corrections: Sequence[CityCorrection],
           dry_run: bool) -> tuple[tuple[str, ...], str, Path | None]:
    """Write the corrections; return each one's status, what was written (for the log) and the copy's path."""
    if target.database is not None:
        outcome = write_city_database(target.database, corrections, dry_run=dry_run)
        return outcome.statuses, outcome.target, None
    assert target.source is not None and target.output is not None
    output = target.output
    if dry_run:
        output = output.with_name(f"{output.stem}.preview{output.suffix}")
    # The copy is rebuilt from the city's file: first the changes logged earlier that the city has not
    # published yet (a record still holding the logged old value), then this push's.
    earlier = [FieldChange(c.record, c.field, c.old, c.new) for c in previous if c.target == _file_target(target)]
    fresh = [FieldChange(c.record, c.field, c.old, c.new) for c in corrections]
    patched = patch_city_file(target.source, target.id_field, [*earlier, *fresh], output)
    return patched.statuses[len(earlier):], _file_target(target), output


def _file_target(target: CityTarget) -> str:
    return f"file {target.output.name}" if target.output is not None else ""


def _credit(correction: CityCorrection) -> str:
    """Where a written value comes from, for the change log's attribution column."""
    if correction.surveyed_by:
        return f"field survey: {correction.surveyed_by}"
    if correction.from_producer:
        return f"producer: {correction.from_producer}"
    return OSM_ATTRIBUTION
