"""config.toml's service part: [service], [notify], [datasets.X.schedule], checked with the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from osmbridge.config import load_config
from osmbridge.errors import ConfigError

DATASET = """
[datasets.libs]
licence = "ODbL-1.0"
mapping = "libs.toml"
[datasets.libs.source]
kind = "csv"
location = "libs.csv"
"""


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None):
    path = tmp_path / "config.toml"
    path.write_text(text + DATASET, encoding="utf-8")
    return load_config(path, environ or {})


def test_defaults_and_a_full_service_configuration(tmp_path: Path) -> None:
    plain = load(tmp_path, "")
    assert plain.service.keep_runs == 30 and plain.service.http_cache == tmp_path / "state" / "http-cache"
    assert plain.datasets["libs"].schedule is None and not plain.notify.enabled
    assert plain.datasets["libs"].source.http_cache == str(tmp_path / "state" / "http-cache")
    config = load(tmp_path, """
[service]
contact = "opendata@ville.example"
keep_runs = 0
timezone = "Europe/Paris"
http_cache = false
[osm]
pause_s = 5
max_shrink_share = 0.3
[notify]
base_url = "https://osmbridge.ville.example"
[notify.email]
to = "sig@ville.example"
from = "osmbridge@ville.example"
host = "smtp.ville.example"
password = "${SMTP_PASSWORD}"
[notify.webhook]
url = "https://chat.example/hooks/${HOOK}"
[datasets.libs.schedule]
cron = "30 2 * * 1-5"
push = true
""", {"SMTP_PASSWORD": "s3cret-smtp", "HOOK": "abc-123-def"})
    assert config.service.contact == "opendata@ville.example" and config.service.http_cache is None
    assert config.osm.contact == "opendata@ville.example" and config.osm.pause_s == 5 and config.osm.max_shrink_share == 0.3
    schedule = config.datasets["libs"].schedule
    assert schedule is not None and (schedule.cron, schedule.timezone, schedule.push) == ("30 2 * * 1-5",
                                                                                          "Europe/Paris", True)
    assert config.notify.base_url == "https://osmbridge.ville.example/"
    assert config.notify.email is not None and config.notify.email.to == ("sig@ville.example",)
    assert config.notify.email.password == "s3cret-smtp" and config.notify.email.port == 587
    assert config.notify.webhook is not None and config.notify.webhook.url.endswith("abc-123-def")


@pytest.mark.parametrize(("text", "key", "problem"), [
    ('[datasets.libs.schedule]\ncron = "every night"', "datasets.libs.schedule.cron", "fields"),
    ('[datasets.libs.schedule]\ncron = "61 2 * * *"', "datasets.libs.schedule.cron", "higher than the maximum"),
    ('[service]\ntimezone = "Europe/Nantes"', "service.timezone", "unknown time zone"),
    ('[service]\nkeep_runs = -1', "service.keep_runs", "whole number"),
    ('[service]\nheartbeat_s = 60\nlock_ttl_s = 90', "service.lock_ttl_s", "twice heartbeat_s"),
    ('[notify.email]\nto = "nobody"\nfrom = "a@b.c"\nhost = "h"', "notify.email.to", "e-mail address"),
    ('[notify.webhook]\nurl = "ftp://x"', "notify.webhook.url", r"http\(s\) address"),
    ('[notify]\nsms = true', "notify.sms", "unknown key"),
    ("[osm]\nmax_shrink_share = 2", "osm.max_shrink_share", "between 0 and 1"),
])
def test_mistakes_name_the_key(tmp_path: Path, text: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem) as error:
        load(tmp_path, text + "\n")
    assert error.value.key == key
