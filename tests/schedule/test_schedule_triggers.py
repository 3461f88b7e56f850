"""Cron expressions as crontab means them (weekdays from Sunday), with or without seconds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from osmbridge.schedule.triggers import cron_trigger, crontab_weekdays


def next_fire(expression: str, after: datetime, timezone: str = "UTC") -> datetime:
    fire = cron_trigger(expression, timezone).get_next_fire_time(None, after)
    assert fire is not None
    return fire


def test_weekdays_count_from_sunday_as_in_crontab() -> None:
    wednesday = datetime(2026, 1, 7, 12, tzinfo=UTC)
    assert next_fire("30 2 * * 0", wednesday).strftime("%a %H:%M") == "Sun 02:30"
    assert next_fire("30 2 * * 7", wednesday).strftime("%a") == "Sun"
    assert next_fire("0 9 * * 1-5", datetime(2026, 1, 10, tzinfo=UTC)).strftime("%a") == "Mon"  # from a Saturday
    assert crontab_weekdays("*/2") == "sun,tue,thu,sat" and crontab_weekdays("mon-fri") == "mon-fri"


def test_six_fields_start_with_seconds_and_the_time_zone_is_honoured() -> None:
    start = datetime(2026, 1, 7, 12, 0, 1, tzinfo=UTC)
    assert next_fire("*/3 * * * * *", start) == datetime(2026, 1, 7, 12, 0, 3, tzinfo=UTC)
    paris = next_fire("30 2 * * *", start, "Europe/Paris")
    assert paris.utcoffset().total_seconds() == 3600 and (paris.hour, paris.minute) == (2, 30)


@pytest.mark.parametrize("expression", ["61 * * * *", "* * *", "0 0 * * 8"])
def test_bad_expressions_say_why(expression: str) -> None:
    with pytest.raises(ValueError):
        cron_trigger(expression, "UTC")
