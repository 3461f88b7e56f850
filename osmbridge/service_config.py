"""config.toml's service part: `[service]`, `[notify]` and each dataset's `[datasets.X.schedule]`.

Read by `config.load_config` with its key-naming reader; the types are what the scheduler, the
notifications and the run bookkeeping are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from osmbridge.config import _Reader

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """How runs are kept and guarded (`[service]`)."""

    contact: str | None = None  # an e-mail or URL, sent in the User-Agent of every request
    keep_runs: int = 30  # per dataset: runs whose snapshots and report folders are kept (0: all)
    lock_ttl_s: float = 300.0  # a lock or run without a heartbeat for this long was abandoned
    heartbeat_s: float = 30.0
    workers: int = 1  # datasets the scheduler processes at once
    misfire_grace_s: int = 3600  # a run missed by less than this (server down) runs once at start
    timezone: str = "UTC"  # of the schedules that name none
    http_cache: Path | None = None  # portal answers kept for conditional requests (None: not kept)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """When the scheduler runs one dataset (`[datasets.X.schedule]`)."""

    cron: str  # 5 fields (minute hour day month weekday), or 6 with seconds first
    timezone: str
    push: bool = False  # push what reviewers accepted after the run


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """SMTP delivery of run notifications (`[notify.email]`)."""

    to: tuple[str, ...]
    sender: str
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_s: float = 30.0


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """A JSON POST per notification (`[notify.webhook]`)."""

    url: str
    timeout_s: float = 30.0


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """Who hears about runs with new review items or errors (`[notify]`)."""

    base_url: str | None = None  # where reports and review pages are published, for links
    email: EmailConfig | None = None
    webhook: WebhookConfig | None = None

    @property
    def enabled(self) -> bool:
        return self.email is not None or self.webhook is not None


def read_service(reader: _Reader, raw: dict[str, Any]) -> ServiceConfig:
    where = "service"
    reader.only_keys(raw, where, {"contact", "keep_runs", "lock_ttl_s", "heartbeat_s", "workers",
                                  "misfire_grace_s", "timezone", "http_cache"})
    defaults = ServiceConfig()
    keep_runs = raw.get("keep_runs", defaults.keep_runs)
    if isinstance(keep_runs, bool) or not isinstance(keep_runs, int) or keep_runs < 0:
        raise reader.fail(f"{where}.keep_runs", "expected a whole number of runs, 0 to keep them all")
    heartbeat_s = float(reader.number(raw, f"{where}.heartbeat_s", defaults.heartbeat_s))
    lock_ttl_s = float(reader.number(raw, f"{where}.lock_ttl_s", defaults.lock_ttl_s))
    if lock_ttl_s < 2 * heartbeat_s:
        raise reader.fail(f"{where}.lock_ttl_s", f"expected at least twice heartbeat_s ({2 * heartbeat_s:g})")
    return ServiceConfig(
        contact=reader.optional_text(raw, f"{where}.contact") or None,
        keep_runs=keep_runs,
        lock_ttl_s=lock_ttl_s,
        heartbeat_s=heartbeat_s,
        workers=reader.number(raw, f"{where}.workers", defaults.workers, integer=True),
        misfire_grace_s=reader.number(raw, f"{where}.misfire_grace_s", defaults.misfire_grace_s, integer=True),
        timezone=_timezone(reader, raw, f"{where}.timezone", defaults.timezone),
        http_cache=reader.path(raw, f"{where}.http_cache", "state/http-cache") if raw.get("http_cache", True) else None,
    )


def read_schedule(reader: _Reader, raw: dict[str, Any], where: str, service: ServiceConfig) -> ScheduleConfig | None:
    if not raw:
        return None
    reader.only_keys(raw, where, {"cron", "timezone", "push"})
    cron = reader.text(raw, f"{where}.cron")
    timezone = _timezone(reader, raw, f"{where}.timezone", service.timezone)
    from osmbridge.schedule.triggers import cron_trigger  # APScheduler checks the expression

    try:
        cron_trigger(cron, timezone)
    except ValueError as error:
        raise reader.fail(f"{where}.cron", f"{error}; expected 5 fields \"minute hour day month weekday\" "
                                           "(e.g. \"30 2 * * *\"), or 6 with seconds first") from None
    push = raw.get("push", False)
    if not isinstance(push, bool):
        raise reader.fail(f"{where}.push", "expected true or false")
    return ScheduleConfig(cron=cron, timezone=timezone, push=push)


def read_notify(reader: _Reader, raw: dict[str, Any]) -> NotifyConfig:
    reader.only_keys(raw, "notify", {"base_url", "email", "webhook"})
    base_url = reader.optional_text(raw, "notify.base_url")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise reader.fail("notify.base_url", "expected the http(s) address where the reports are published")
    email = reader.table(raw, "notify.email")
    webhook = reader.table(raw, "notify.webhook")
    return NotifyConfig(base_url=base_url.rstrip("/") + "/" if base_url else None,
                        email=_email(reader, email) if email else None,
                        webhook=_webhook(reader, webhook) if webhook else None)


def _email(reader: _Reader, raw: dict[str, Any]) -> EmailConfig:
    where = "notify.email"
    reader.only_keys(raw, where, {"to", "from", "host", "port", "username", "password", "starttls", "timeout_s"})
    to = raw.get("to")
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not to or not all(isinstance(a, str) and _EMAIL.match(a) for a in to):
        raise reader.fail(f"{where}.to", "expected an e-mail address or a list of them")
    sender = reader.text(raw, f"{where}.from")
    if not _EMAIL.match(sender):
        raise reader.fail(f"{where}.from", "expected an e-mail address")
    password = reader.optional_text(raw, f"{where}.password")
    starttls = raw.get("starttls", True)
    if not isinstance(starttls, bool):
        raise reader.fail(f"{where}.starttls", "expected true or false")
    return EmailConfig(to=tuple(to), sender=sender, host=reader.text(raw, f"{where}.host"),
                       port=reader.number(raw, f"{where}.port", 587, integer=True),
                       username=reader.optional_text(raw, f"{where}.username") or None,
                       password=reader.secret(password, f"{where}.password") if password else None,
                       starttls=starttls, timeout_s=float(reader.number(raw, f"{where}.timeout_s", 30.0)))


def _webhook(reader: _Reader, raw: dict[str, Any]) -> WebhookConfig:
    where = "notify.webhook"
    reader.only_keys(raw, where, {"url", "timeout_s"})
    url = reader.secret(reader.text(raw, f"{where}.url"), f"{where}.url")
    if not url.startswith(("http://", "https://")):
        raise reader.fail(f"{where}.url", "expected an http(s) address")
    return WebhookConfig(url=url, timeout_s=float(reader.number(raw, f"{where}.timeout_s", 30.0)))


def _timezone(reader: _Reader, raw: dict[str, Any], key: str, default: str) -> str:
    name = reader.text(raw, key, default)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise reader.fail(key, f"unknown time zone {name!r}; expected a name like "
                               "\"Europe/Paris\" or \"UTC\"") from None
    return name
