"""Notifications after a run: e-mail through a real SMTP server, a JSON webhook, only when there is news."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from notify_servers import smtp_server, webhook_server
from service_world import DATASET, service_world

from osmbridge import pipeline
from osmbridge.cli import main
from osmbridge.service.notify import notify_run


def test_new_items_are_mailed_and_posted_once_and_a_quiet_run_says_nothing(tmp_path: Path) -> None:
    with smtp_server() as (inbox, port), webhook_server() as hook, service_world(tmp_path) as world:
        world.write_config(world.config().store_url, notify=(
            'base_url = "https://osmbridge.example.org/reports/"\n'
            f'[notify.email]\nto = ["sig@ville.example"]\nfrom = "osmbridge@ville.example"\nhost = "127.0.0.1"\n'
            f'port = {port}\nstarttls = false\n[notify.webhook]\nurl = "{hook.url}?token=HOOK-SECRET-1"'))
        assert main(["run", "--config", str(world.config_path)]) == 0  # first run: everything is new
        assert main(["run", "--config", str(world.config_path)]) == 0  # nothing changed: no message
        world.change_a_city_record()
        assert main(["run", "--config", str(world.config_path)]) == 0  # one renamed place: news

    assert [m["Subject"].split(":")[0] for m in inbox.messages] == ["osmbridge run 1", "osmbridge run 3"]
    assert inbox.recipients == [["sig@ville.example"]] * 2
    assert [body["run_id"] for body in hook.bodies] == [1, 3]
    first, third = hook.bodies
    [dataset] = first["datasets"]
    assert dataset["dataset"] == DATASET and dataset["status"] == "ok"
    assert sum(dataset["new"].values()) == dataset["differences"] == first["new_items"] > 0
    assert set(dataset["new"]) <= {"to_osm", "to_city", "to_review"}
    assert dataset["report_url"] == f"https://osmbridge.example.org/reports/{DATASET}/run-00001/report.html"
    assert 0 < third["new_items"] < first["new_items"]
    text = inbox.messages[1].get_payload(decode=True).decode()
    assert "new for OSM" in text or "new for the city" in text or "new to decide" in text
    assert "nouveaux" in text and "run-00003/report.html" in text


def test_a_failed_run_is_notified_with_its_error(tmp_path: Path) -> None:
    with webhook_server() as hook, service_world(tmp_path) as world:
        world.write_config(world.config().store_url, notify=f'[notify.webhook]\nurl = "{hook.url}"')
        world.overpass.stop()
        assert main(["run", "--config", str(world.config_path)]) == 1
    [body] = hook.bodies
    assert body["status"] == "failed" and body["new_items"] == 0
    assert body["datasets"][0]["status"] == "failed" and "The server looks down" in body["datasets"][0]["error"]


def test_a_notification_that_cannot_be_delivered_is_logged_not_raised(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    with webhook_server() as hook, service_world(tmp_path) as world:
        hook.status = 500
        world.write_config(world.config().store_url, notify=(
            f'[notify.webhook]\nurl = "{hook.url}/T0KEN-IN-PATH-99"\n'
            '[notify.email]\nto = "a@b.example"\nfrom = "c@d.example"\nhost = "127.0.0.1"\nport = 9\n'
            "starttls = false\ntimeout_s = 2"))
        config = world.config()
        summary = pipeline.run(config)
        with caplog.at_level(logging.WARNING):
            sent = notify_run(config, summary)
    assert sent is not None and summary.ok
    assert any("the webhook notification failed" in m and "HTTP 500" in m for m in caplog.messages)
    assert any("the e-mail notification failed" in m and "127.0.0.1:9" in m for m in caplog.messages)
    assert not any("T0KEN-IN-PATH" in m for m in caplog.messages)
