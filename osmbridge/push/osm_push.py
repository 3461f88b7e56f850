"""Push accepted items to OSM: licence gate, fresh re-read, small changesets, a journal around every upload.

For each changeset, in order (a crash at any step is recovered on the next run):
  1. re-read the elements from the API and plan against them: an element whose version or reviewed
     tags changed since review sends its items back to review (stale), never overwritten;
  2. journal the attempt (write-ahead), open a changeset, journal its id;
  3. journal the osmChange, post it; parse the diffResult; journal the result;
  4. mark the items pushed in the review store; close the changeset; journal it done.
A refused upload applies nothing (uploads are atomic): 409/412/410 on an element make its items
stale (or refused, for a deletion of an element still in use) and the rest go again into the same
changeset; a closed changeset gets a new one; 429 waits and resumes. When the answer is lost, the
changeset is read back (/changeset/#id/download) to learn whether the upload was applied; the same
reconciliation runs first on every journal entry a previous run left unfinished. Nothing is uploaded
twice, nothing accepted is lost.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from osmbridge.errors import OsmbridgeError
from osmbridge.model import Decision, Difference, Direction
from osmbridge.osm.api_elements import ApiElement
from osmbridge.plan.osc import osmchange
from osmbridge.plan.osm_changes import PlannedChange, PlanRules, Refusal, plan_osm_changes
from osmbridge.push.api import Downloaded, OsmApiClient, UploadRejected, UploadUnknown
from osmbridge.push.changesets import ChangesetOptions, bounding_box, changeset_tags, group_changes
from osmbridge.push.licence import LicenceVerdict, gated
from osmbridge.push.messages import message
from osmbridge.report.atomic import write_bytes_atomic, write_text_atomic
from osmbridge.store.journal import JournalEntry, PushJournal

Item = tuple[Difference, Decision]
Checkpoint = Callable[[str], None]
# Where a test may stop the process (SIGKILL) to prove that a restart recovers.
CHECKPOINTS = ("before_journal", "after_journal", "after_changeset_create", "before_upload", "after_upload",
               "after_record", "after_mark", "after_close")


class PushError(OsmbridgeError):
    """The push stopped; the message says what a person must look at. The journal keeps the state."""


class ReviewLedger(Protocol):
    """What the push needs from the review store."""

    def accepted_items(self, dataset: str, direction: Direction) -> list[tuple[Difference, Decision]]: ...

    def mark_pushed(self, item_ids: Iterable[str], ref: str, *, now: str | None = None) -> object: ...

    def mark_stale(self, item_id: str, reason: str, *, now: str | None = None) -> object: ...


@dataclass(frozen=True, slots=True)
class PushedItem:
    difference_id: str
    osm_key: str | None  # the element written (its new id for a creation); None for a deletion
    version: int | None
    changeset_id: int


@dataclass(frozen=True, slots=True)
class OsmPushResult:
    """What one push did (or, with dry_run, would do)."""

    dataset: str
    dry_run: bool
    licence: LicenceVerdict
    pushed: tuple[PushedItem, ...] = ()
    stale: tuple[Refusal, ...] = ()  # back to review: OSM changed since the decision
    refused: tuple[Refusal, ...] = ()  # left accepted: cannot be done as is (a person must look)
    blocked: tuple[str, ...] = ()  # difference ids the licence gate kept back
    changesets: tuple[int, ...] = ()
    files: tuple[Path, ...] = ()  # dry run: the osmChange files and changesets.json
    planned_changes: int = 0
    recovered: tuple[int, ...] = ()  # journal entries of an interrupted run, reconciled first


@dataclass(frozen=True, slots=True)
class PushOptions:
    dataset: str
    changesets: ChangesetOptions
    rules: PlanRules = field(default_factory=PlanRules)
    dry_run: bool = False
    out_dir: Path | None = None  # dry run: where the files go
    max_attempts: int = 3  # uploads of one item refused for reasons that may pass on a retry
    nearby_radius_m: float = 50.0  # a creation looks this far for a place of its kind mapped since review


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def no_checkpoint(name: str) -> None:
    return None


@dataclass
class _Run:
    pushed: list[PushedItem] = field(default_factory=list)
    stale: list[Refusal] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    changesets: list[int] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    dry_run_sets: list[dict[str, Any]] = field(default_factory=list)
    planned: int = 0


class OsmPusher:
    """One push of one dataset's accepted items (see the module docstring for the steps)."""

    def __init__(self, client: OsmApiClient, journal: PushJournal | None, ledger: ReviewLedger | None,
                 options: PushOptions, *, checkpoint: Checkpoint = no_checkpoint,
                 clock: Callable[[], str] = utc_now) -> None:
        if not options.dry_run and (journal is None or ledger is None):
            raise ValueError("a real push needs the journal and the review ledger")
        self.client, self.journal, self.ledger, self.options = client, journal, ledger, options
        self.checkpoint, self.clock = checkpoint, clock
        self.run = _Run()
        self._placeholder = -1
        self._spare: tuple[int, dict[str, str]] | None = None  # an open, empty changeset to reuse

    # --- entry point -----------------------------------------------------------------------------

    def push(self, items: Sequence[Item], licence: LicenceVerdict) -> OsmPushResult:
        """Push `items` (accepted to_osm pairs) the `licence` lets through; recover an interrupted run first."""
        dataset = self.options.dataset
        blocked = tuple(sorted(d.id for d, _ in items if licence.blocked and gated(d, "to_osm")))
        items = [(d, dec) for d, dec in items if d.id not in blocked]
        if licence.blocked and not items:
            return OsmPushResult(dataset, self.options.dry_run, licence, blocked=blocked)
        recovered: list[int] = []
        carried_out: set[tuple[str, str]] = set()
        if self.journal is not None and not self.options.dry_run:
            for entry in self.journal.unfinished(dataset):
                self._reconcile(entry)
                recovered.append(entry.id)
            carried_out = self.journal.carried_out(dataset)
        pending = [(d, dec) for d, dec in items
                   if dec.direction == "to_osm" and (d.id, dec.decided_at) not in carried_out
                   and d.id not in {p.difference_id for p in self.run.pushed}]
        self._push_pending(pending)
        if self.options.dry_run:
            self._write_dry_run_summary(licence)
        run = self.run
        return OsmPushResult(dataset, self.options.dry_run, licence, tuple(run.pushed), tuple(run.stale),
                             tuple(run.refused), blocked, tuple(run.changesets), tuple(run.files), run.planned,
                             tuple(recovered))

    def _push_pending(self, pending: list[Item]) -> None:
        by_id = {d.id: (d, dec) for d, dec in pending}
        keys = {d.osm_key for d, _ in pending if d.kind != "missing_in_osm" and d.osm_key}
        plan = plan_osm_changes(pending, self.client.read_elements(keys), self.options.rules)
        self._refuse(plan.refused)
        queue = [[by_id[i] for c in group for i in c.item_ids]
                 for group in group_changes(plan.changes, self.options.changesets.max_changes,
                                            self.options.changesets.max_span_m)]
        attempts: Counter[str] = Counter()
        while queue:
            group_items = queue.pop(0)
            # Right before the upload: read these elements again, plan against what OSM holds now.
            keys = {d.osm_key for d, _ in group_items if d.kind != "missing_in_osm" and d.osm_key}
            fresh = self.client.read_elements(keys) if keys else {}
            # What this push itself created is no twin of the next creations.
            ours = {p.osm_key for p in self.run.pushed}
            nearby = {d.id: [e for e in self.client.read_around(d.lon, d.lat, self.options.nearby_radius_m)
                             if e.key not in ours]
                      for d, _ in group_items if d.kind == "missing_in_osm"}
            group = plan_osm_changes(group_items, fresh, self.options.rules, self._placeholder, nearby)
            self._refuse(group.refused)
            if not group.changes:
                continue
            self._placeholder -= sum(1 for c in group.changes if c.action == "create")
            self.run.planned += len(group.changes)
            if self.options.dry_run:
                self._write_dry_run(group.changes)
                continue
            carried = {i for c in group.changes for i in c.item_ids}
            retry = self._upload(group.changes, [by_id[i] for i in sorted(carried)])
            again = []
            for item in retry:
                attempts[item[0].id] += 1
                if attempts[item[0].id] < self.options.max_attempts:
                    again.append(item)
                else:
                    self.run.refused.append(Refusal(item[0].id, "push.refused",
                                                    {"message": "refused on every attempt; see the journal"}))
            if again:
                queue.insert(0, again)
        if self._spare is not None:
            self.client.close_changeset(self._spare[0])
            self._spare = None

    # --- one changeset ---------------------------------------------------------------------------

    def _upload(self, changes: Sequence[PlannedChange], items: Sequence[Item]) -> list[Item]:
        """Upload one changeset's worth; return the items to try again (nothing of them was applied)."""
        assert self.journal is not None
        now = self.clock
        tags = changeset_tags(self.options.changesets, changes)
        reuse = self._spare if self._spare is not None and self._spare[1] == tags else None
        if self._spare is not None and reuse is None:
            self.client.close_changeset(self._spare[0])
        self._spare = None
        self.checkpoint("before_journal")
        entry_id = self.journal.record_planned(self.options.dataset, [_change_json(c) for c in changes], tags,
                                               [(d.id, dec.decided_at) for d, dec in items], now(),
                                               changeset_id=reuse[0] if reuse else None)
        self.checkpoint("after_journal")
        if reuse is not None:
            changeset_id = reuse[0]
        else:
            changeset_id = self.client.open_changeset(tags)
            self.checkpoint("after_changeset_create")
            self.journal.set_open(entry_id, changeset_id, now())
        osc = osmchange(changes, changeset_id)
        self.journal.set_sent(entry_id, osc.decode("utf-8"), now())
        self.checkpoint("before_upload")
        try:
            diff_result = self.client.upload(changeset_id, osc)
        except UploadRejected as rejection:
            self.journal.set_rejected(entry_id, rejection.message, now())
            return self._rejected(rejection, changeset_id, tags, changes, items)
        except UploadUnknown:
            self._reconcile(self.journal.entry(entry_id))
            return [item for item in items if item[0].id not in {p.difference_id for p in self.run.pushed}]
        self.checkpoint("after_upload")
        result = {entry.key: [entry.new_key, entry.new_version] for entry in diff_result}
        missing = {c.key for c in changes} - set(result)
        if missing:
            # Not the answer to what was sent: learn from the changeset itself what happened.
            self._reconcile(self.journal.entry(entry_id))
            return []
        self.journal.set_applied(entry_id, result, now())
        self.checkpoint("after_record")
        self._finish(self.journal.entry(entry_id))
        return []

    def _rejected(self, rejection: UploadRejected, changeset_id: int, tags: dict[str, str],
                  changes: Sequence[PlannedChange], items: Sequence[Item]) -> list[Item]:
        """Sort a refused upload's items: stale, refused, or to try again."""
        if rejection.kind == "closed":
            return list(items)  # a new changeset next time
        self._spare = (changeset_id, tags)  # nothing was applied: the changeset is still open and empty
        if rejection.kind == "other":
            self.client.close_changeset(changeset_id)
            self._spare = None
            raise PushError(f"{self.options.dataset}: the OSM API refused changeset {changeset_id}'s upload "
                            f"(HTTP {rejection.status}): {rejection.message}. Nothing of it was applied; the "
                            "items stay accepted.")
        target = next((c for c in changes if c.key == rejection.element_key), None)
        if target is None:
            return list(items)  # the message names no element of ours: re-read and re-plan
        again: list[Item] = []
        for difference, decision in items:
            if difference.id not in target.item_ids:
                again.append((difference, decision))
            elif rejection.kind == "precondition" and target.action == "delete":
                self.run.refused.append(Refusal(difference.id, "push.still_used", {"osm": target.key}))
            else:
                self._stale([Refusal(difference.id, "push.conflict", {"message": rejection.message}, stale=True)])
        return again

    # --- journal recovery ------------------------------------------------------------------------

    def _reconcile(self, entry: JournalEntry) -> None:
        """Settle an attempt whose outcome the journal does not know, from the changeset itself."""
        assert self.journal is not None
        if entry.state == "applied" and entry.result is not None:
            self._finish(entry)
            return
        if entry.changeset_id is None:
            # Stopped before the changeset's id was recorded: nothing was uploaded. The server may hold
            # the changeset, open and empty: close ours that carry exactly these tags and nothing else.
            known = {e.changeset_id for e in self.journal.entries(entry.dataset)}
            for changeset_id, changeset in self.client.own_open_changesets().items():
                unknown_and_empty = changeset_id not in known and changeset["changes"] == 0
                if unknown_and_empty and changeset["tags"] == entry.changeset_tags:
                    self.client.close_changeset(changeset_id)
            self.journal.set_abandoned(entry.id, "interrupted before a changeset was opened", self.clock())
            return
        downloaded = self.client.download_changeset(entry.changeset_id)
        result = _match_download(entry.changes, downloaded)
        if result is None:
            if downloaded:
                raise PushError(f"{entry.dataset}: changeset {entry.changeset_id} holds edits that journal entry "
                                f"{entry.id} did not plan. Look at it on the OSM website before pushing again; the "
                                "journal entry stays unfinished.")
            self.client.close_changeset(entry.changeset_id)
            self.journal.set_abandoned(entry.id, f"changeset {entry.changeset_id} holds nothing of this upload",
                                       self.clock())
            return
        self.journal.set_applied(entry.id, result, self.clock(), "recovered from the changeset after an interruption")
        self._finish(self.journal.entry(entry.id))

    def _finish(self, entry: JournalEntry) -> None:
        """Mark an applied attempt's items pushed, close its changeset, journal it done (safe to repeat)."""
        assert self.journal is not None and self.ledger is not None and entry.changeset_id is not None
        result = entry.result or {}
        still_accepted = {d.id for d, _ in self.ledger.accepted_items(entry.dataset, "to_osm")}
        # A deletion sent `if-unused` that the server skipped (the element is still in a way or relation)
        # comes back with the element's unchanged version: not done, back to review.
        skipped = [c for c in entry.changes
                   if c["action"] == "delete" and result.get(c["key"], [None, None])[1] is not None]
        self._stale([Refusal(i, "push.still_used", {"osm": c["key"]}, stale=True)
                     for c in skipped for i in c["item_ids"] if i in still_accepted])
        done = [c for c in entry.changes if c not in skipped]
        to_mark = [i for c in done for i in c["item_ids"] if i in still_accepted]
        if to_mark:
            self.ledger.mark_pushed(to_mark, f"osm:changeset/{entry.changeset_id}", now=self.clock())
        self.checkpoint("after_mark")
        for change in done:
            new_key, new_version = result.get(change["key"], [None, None])
            for item_id in change["item_ids"]:
                self.run.pushed.append(PushedItem(item_id, new_key, new_version, entry.changeset_id))
        self.client.close_changeset(entry.changeset_id)
        self.checkpoint("after_close")
        self.journal.set_done(entry.id, self.clock())
        if entry.changeset_id not in self.run.changesets:
            self.run.changesets.append(entry.changeset_id)

    # --- refusals --------------------------------------------------------------------------------

    def _refuse(self, refusals: Iterable[Refusal]) -> None:
        refusals = list(refusals)
        self._stale([r for r in refusals if r.stale])
        self.run.refused += [r for r in refusals if not r.stale]

    def _stale(self, refusals: Sequence[Refusal]) -> None:
        for refusal in refusals:
            self.run.stale.append(refusal)
            if self.ledger is not None and not self.options.dry_run:
                self.ledger.mark_stale(refusal.difference_id, message(refusal.code, refusal.params),
                                       now=self.clock())

    # --- dry run ---------------------------------------------------------------------------------

    def _write_dry_run(self, changes: Sequence[PlannedChange]) -> None:
        out = self.options.out_dir or Path(".")
        number = len(self.run.dry_run_sets) + 1
        path = write_bytes_atomic(out / f"changeset-{number:03d}.osc", osmchange(changes, 0))
        self.run.files.append(path)
        self.run.dry_run_sets.append({
            "file": path.name, "tags": changeset_tags(self.options.changesets, changes), "changes": len(changes),
            "bbox": bounding_box(changes), "difference_ids": sorted(i for c in changes for i in c.item_ids)})

    def _write_dry_run_summary(self, licence: LicenceVerdict) -> None:
        out = self.options.out_dir or Path(".")
        summary = {"dataset": self.options.dataset, "licence": licence.licence, "licence_code": licence.code,
                   "changesets": self.run.dry_run_sets,
                   "stale": [{"difference_id": r.difference_id, "why": message(r.code, r.params)}
                             for r in self.run.stale],
                   "refused": [{"difference_id": r.difference_id, "why": message(r.code, r.params)}
                               for r in self.run.refused]}
        self.run.files.append(write_text_atomic(out / "changesets.json",
                                                json.dumps(summary, ensure_ascii=False, indent=1) + "\n"))


def _change_json(change: PlannedChange) -> dict[str, Any]:
    element = change.element
    return {"key": change.key, "action": change.action, "version": element.version, "tags": dict(element.tags),
            "lat": element.lat, "lon": element.lon, "item_ids": list(change.item_ids)}


def _match_download(changes: Sequence[Mapping[str, Any]], downloaded: Sequence[Downloaded]) -> dict[str, Any] | None:
    """The diffResult an applied upload would have given, rebuilt from the changeset; None if nothing of it is there.

    Modified elements are found by id and version, deleted ones by id, created ones by their tags and
    position (the server gave them ids we never heard).
    """
    result: dict[str, Any] = {}
    unused = list(downloaded)
    for change in changes:
        found = next((d for d in unused if _is(change, d)), None)
        if found is None:
            continue
        unused.remove(found)
        if change["action"] == "delete":
            result[change["key"]] = [None, None]
        else:
            result[change["key"]] = [found.element.key, found.element.version]
    if not result:
        return None
    missing = [c["key"] for c in changes if c["key"] not in result and c["action"] != "delete"]
    if missing:
        raise PushError(f"a changeset holds only part of an upload (missing {', '.join(missing[:5])}): uploads are "
                        "atomic, so it was changed by something else; look at it before pushing again")
    for change in changes:
        if change["key"] not in result:  # a deletion skipped as still in use (if-unused)
            result[change["key"]] = [change["key"], change["version"]]
    return result


def _is(change: Mapping[str, Any], downloaded: Downloaded) -> bool:
    element: ApiElement = downloaded.element
    if downloaded.action != change["action"]:
        return False
    if change["action"] == "create":
        return (element.type == change["key"][0] and dict(element.tags) == change["tags"]
                and _same_position(element, change))
    if element.key != change["key"]:
        return False
    return change["action"] == "delete" or element.version == change["version"] + 1


def _same_position(element: ApiElement, change: Mapping[str, Any]) -> bool:
    if element.lat is None or change.get("lat") is None:
        return element.lat is None and change.get("lat") is None
    return (round(element.lat, 7) == round(change["lat"], 7)
            and round(element.lon or 0.0, 7) == round(change["lon"], 7))

