"""The scheduler service: APScheduler 3 running each scheduled dataset on its cron, one process per store.

Several `osmbridge serve`/`osmbridge schedule` processes may share one store (PostgreSQL): they elect
a leader through the store's "scheduler" lock (heartbeat, taken over when stale); only the leader
runs APScheduler, the others wait on standby. Its jobs live in the store's database (APScheduler's
SQLAlchemy job store), so a run missed while no scheduler was up runs once when one starts
(misfire grace and coalescing), not once per missed turn. Each dataset's lock still guards against
a simultaneous `osmbridge run` from cron or a person.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from osmbridge.config import Config
from osmbridge.errors import OsmbridgeError
from osmbridge.pipeline import utc_now
from osmbridge.redact import redact
from osmbridge.schedule.jobs import JOB_FUNCTION, register, unregister
from osmbridge.schedule.triggers import cron_trigger
from osmbridge.service.interrupt import StopRequest
from osmbridge.store import Owner, Store

LEADER_LOCK = "scheduler"
JOBS_TABLE = "apscheduler_jobs"
log = logging.getLogger(__name__)


class Scheduler:
    """Start with `start()`, stop with `stop()`; `leader` says whether this process runs the jobs."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.owner = Owner.new()
        self.stop_request = StopRequest()
        self._store: Store | None = None
        self._apscheduler: BackgroundScheduler | None = None
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self._key = ""
        self._standby_logged = False

    @property
    def leader(self) -> bool:
        return self._apscheduler is not None

    def start(self) -> None:
        """Open the store and begin: lead at once if no other scheduler does, else stand by."""
        self._store = Store(self.config.store_url)  # creates or upgrades the schema first
        self._key = register(self.config, self.stop_request)
        self._try_to_lead()
        self._thread = threading.Thread(target=self._keep_lease, name="osmbridge-scheduler-lease", daemon=True)
        self._thread.start()

    def stop(self, wait: bool = True) -> None:
        """Stop: running datasets end at their next step (recorded as interrupted), then give up the lead."""
        self._closing.set()
        self.stop_request.set("the scheduler is stopping")
        if self._thread is not None:
            self._thread.join()
        self._step_down(wait)
        unregister(self._key)
        if self._store is not None:
            self._store.close()
            self._store = None

    def next_runs(self) -> dict[str, datetime | None]:
        """Each scheduled dataset's next run time (empty on standby)."""
        if self._apscheduler is None:
            return {}
        return {job.id.removeprefix("dataset:"): job.next_run_time for job in self._apscheduler.get_jobs()}

    def _keep_lease(self) -> None:
        interval_s = self.config.service.heartbeat_s
        while not self._closing.wait(interval_s):
            try:
                if self.leader:
                    assert self._store is not None
                    if self._store.refresh_locks(self.owner) == 0:
                        log.error("scheduler: lost the lead (this process stalled longer than lock_ttl_s); "
                                  "standing by")
                        self._step_down(wait=False)
                else:
                    self._try_to_lead()
            except OsmbridgeError as error:  # the store is briefly unreachable: try again next beat
                log.warning("scheduler: %s", redact(str(error)))

    def _try_to_lead(self) -> None:
        assert self._store is not None
        holder = self._store.acquire_lock(LEADER_LOCK, self.owner, self.config.service.lock_ttl_s)
        if holder is not None:
            if not self._standby_logged:
                log.info("scheduler: standing by; the jobs run in %s", holder.describe())
                self._standby_logged = True
            return
        self._standby_logged = False
        interrupted = self._store.mark_interrupted_runs(self.config.service.lock_ttl_s, utc_now())
        if interrupted:
            log.warning("scheduler: runs %s had stopped without finishing: marked interrupted", interrupted)
        self._apscheduler = self._start_apscheduler()
        for dataset, when in sorted(self.next_runs().items()):
            log.info("scheduler: %s next runs at %s", dataset, when)

    def _start_apscheduler(self) -> BackgroundScheduler:
        service = self.config.service
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=self.config.store_url, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=service.workers)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": service.misfire_grace_s},
            timezone=service.timezone)
        scheduler.add_listener(_log_missed, EVENT_JOB_MISSED)
        # Paused until the jobs match config.toml, so a kept job's missed turn runs once, on resume.
        scheduler.start(paused=True)
        self._reconcile(scheduler)
        scheduler.resume()
        return scheduler

    def _reconcile(self, scheduler: BackgroundScheduler) -> None:
        """Make the stored jobs those of config.toml, keeping the next run time of an unchanged job."""
        wanted = {f"dataset:{name}": dataset for name, dataset in self.config.datasets.items() if dataset.schedule}
        for job in scheduler.get_jobs():
            if job.id not in wanted:
                log.info("scheduler: %s is no longer scheduled in %s", job.id, self.config.path)
                job.remove()
        for job_id, dataset in wanted.items():
            assert dataset.schedule is not None
            trigger = cron_trigger(dataset.schedule.cron, dataset.schedule.timezone)
            args = [self._key, dataset.name]
            job = scheduler.get_job(job_id)
            if job is None:
                scheduler.add_job(JOB_FUNCTION, trigger, args=args, id=job_id, name=dataset.name)
            elif str(job.trigger) != str(trigger) or str(job.trigger.timezone) != str(trigger.timezone):
                job.modify(args=args)
                job.reschedule(trigger)
            elif list(job.args) != args:
                job.modify(args=args)

    def _step_down(self, wait: bool) -> None:
        scheduler, self._apscheduler = self._apscheduler, None
        if scheduler is not None:
            # APScheduler 3 looks for due jobs once more while shutting down, and would spend a turn that
            # is due right then on an executor already closed: detach the job store first.
            scheduler.pause()
            scheduler.remove_jobstore("default")
            scheduler.shutdown(wait=wait)
        if self._store is not None:
            self._store.release_lock(LEADER_LOCK, self.owner)


def start_scheduler(config: Config) -> Scheduler:
    """Start the scheduler in background threads (for `osmbridge serve`); call `.stop()` on shutdown."""
    scheduler = Scheduler(config)
    scheduler.start()
    return scheduler


def _log_missed(event: JobEvent) -> None:
    log.warning("scheduler: %s missed its turn at %s by more than [service] misfire_grace_s: skipped",
                event.job_id, getattr(event, "scheduled_run_time", "?"))
