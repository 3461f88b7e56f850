"""Cron expressions of config.toml as APScheduler triggers, with crontab's meaning of weekdays."""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

# crontab counts weekdays from Sunday (0 or 7); APScheduler 3 from Monday (0). Names mean the same to both.
_CRONTAB_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STEP = re.compile(r"^(\*|\d+-\d+)/(\d+)$")


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger for 5 fields (minute hour day month weekday, as crontab) or 6 (seconds first).

    ValueError names what is wrong with the expression.
    """
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"{expression!r} has {len(fields)} fields")
    second, minute, hour, day, month, day_of_week = fields
    return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                       day_of_week=crontab_weekdays(day_of_week), timezone=timezone)


def crontab_weekdays(field: str) -> str:
    """Rewrite crontab's numeric weekdays (0 or 7 = Sunday) as names, which APScheduler reads the same way."""
    parts = []
    for part in field.split(","):
        step = _STEP.match(part)
        if step:
            start, end = (0, 6) if step.group(1) == "*" else map(int, step.group(1).split("-"))
            parts += [_day(str(n)) for n in range(start, end + 1, int(step.group(2)))]
        elif "-" in part and all(n.isdigit() for n in part.split("-", 1)):
            first, last = map(int, part.split("-", 1))
            parts += [_day(str(n)) for n in range(first, last + 1)]
        else:
            parts.append(_day(part))
    return ",".join(dict.fromkeys(parts))


def _day(token: str) -> str:
    if token.isdigit():
        if int(token) > 7:
            raise ValueError(f"weekday {token} is out of range 0-7")
        return _CRONTAB_DAYS[int(token)]
    return token
