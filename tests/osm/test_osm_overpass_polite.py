"""A polite Overpass client: slots, Retry-After, jittered backoff, one query at a time, quick failures, no secrets."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator

import pytest

from emulators.overpass import OverpassEmulator
from osmbridge.errors import OsmSourceError
from osmbridge.model import Area, TagFilter
from osmbridge.osm import fetch_overpass
from osmbridge.osm.overpass_http import Politeness, post_query, slot_wait_s, status_url
from shared_data import TEST_DATA

SCHOOL = TagFilter("amenity", "school")
AREA = Area(relation_id=1)


@pytest.fixture
def overpass() -> Iterator[OverpassEmulator]:
    with OverpassEmulator(TEST_DATA / "osm" / "small.osm", areas={1: (47.99, 1.99, 48.01, 2.04)}) as emulator:
        yield emulator


def test_429_with_retry_after_then_504_then_success_recovers(overpass: OverpassEmulator,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    overpass.fail_next(429, retry_after_s=1)
    overpass.fail_next(504)
    with caplog.at_level(logging.INFO, logger="osmbridge.osm.overpass_http"):
        places = fetch_overpass(overpass.url, [SCHOOL], AREA, retries=3, backoff_s=0.05)
    assert len(places) == 5
    assert [r.status for r in overpass.requests] == [429, 504, 200]
    # Retry-After: 1, plus up to a second of jitter.
    assert any(re.search(r"waiting (1\.\d|2\.0) s as its Retry-After asks", m) for m in caplog.messages)
    assert any("504 Gateway Timeout; retrying in" in m for m in caplog.messages)


def test_a_busy_server_is_asked_for_its_next_free_slot(overpass: OverpassEmulator,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    overpass.slot_free_in(1)  # the status read before the first query
    overpass.fail_next(429)  # no Retry-After: the client asks /api/status again
    overpass.slot_free_in(1)
    with caplog.at_level(logging.INFO, logger="osmbridge.osm.overpass_http"):
        fetch_overpass(overpass.url, [SCHOOL], AREA, retries=2, backoff_s=30)  # a backoff would be seen
    assert [r.status for r in overpass.requests] == [429, 200]
    assert overpass.status_requests == 2
    assert sum("for a free slot (/api/status)" in m for m in caplog.messages) == 2


def test_a_wait_longer_than_allowed_fails_at_once_with_the_reason(overpass: OverpassEmulator) -> None:
    overpass.fail_next(429, retry_after_s=3600)
    with pytest.raises(OsmSourceError, match=r"asks to wait 36\d\d s as its Retry-After asks, longer than "
                                             r"\[osm\] max_wait_s \(60 s\)"):
        fetch_overpass(overpass.url, [SCHOOL], AREA, retries=3, backoff_s=0.01, max_wait_s=60)
    assert len(overpass.requests) == 1


def test_a_host_that_does_not_resolve_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolver(host: str, *args: object, **kwargs: object) -> object:
        if host == "overpass.invalid":  # what the system resolver answers for a name that does not exist
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    calls: list[float] = []
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(OsmSourceError, match=r"the host 'overpass\.invalid' does not resolve"):
        post_query("https://overpass.invalid/api/interpreter", "[out:json];node(1);out;", user_agent="t",
                   read_timeout_s=5, politeness=Politeness(retries=4, backoff_s=10), sleep=calls.append)
    assert [s for s in calls if s > 0] == []  # no backoff, no retry


def test_a_server_that_is_down_is_tried_twice_not_for_minutes() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/api/interpreter"
    sleeps: list[float] = []
    with pytest.raises(OsmSourceError, match=r"no answer after 2 attempts; last status: connection failed "
                                             r"\(connection refused\)\. The server looks down"):
        post_query(url, "[out:json];node(1);out;", user_agent="t", read_timeout_s=5,
                   politeness=Politeness(retries=4, backoff_s=10), sleep=sleeps.append)
    backoffs = [s for s in sleeps if s > 0]
    assert len(backoffs) == 1 and 5 <= backoffs[0] <= 10  # one jittered backoff, half to all of backoff_s


def test_backoff_doubles_with_jitter_and_the_pause_separates_queries(overpass: OverpassEmulator) -> None:
    overpass.fail_next(504, times=3)
    sleeps: list[float] = []
    politeness = Politeness(retries=3, backoff_s=4, pause_s=2.5)
    post_query(overpass.url, "[out:json];node(1);out;", user_agent="t", read_timeout_s=5, politeness=politeness,
               sleep=sleeps.append)
    backoffs = [s for s in sleeps if s > 0.5]
    # After each 504: a jittered backoff (2-4, 4-8, 8-16 s); the pause is then already spent.
    assert len(backoffs) == 3
    assert 2 <= backoffs[0] <= 4 and 4 <= backoffs[1] <= 8 and 8 <= backoffs[2] <= 16
    sleeps.clear()
    post_query(overpass.url, "[out:json];node(1);out;", user_agent="t", read_timeout_s=5, politeness=politeness,
               sleep=sleeps.append)
    assert 2 < sleeps[0] <= 2.5  # the next query waits for the rest of the pause


def test_one_query_at_a_time_per_server(overpass: OverpassEmulator) -> None:
    overpass.delay_s = 0.3
    threads = [threading.Thread(target=fetch_overpass, args=(overpass.url, [SCHOOL], AREA)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(overpass.requests) == 3 and overpass.max_parallel == 1


def test_a_token_in_the_url_is_never_shown(overpass: OverpassEmulator, caplog: pytest.LogCaptureFixture) -> None:
    from osmbridge.redact import install_log_redaction

    install_log_redaction()
    url = overpass.url + "?token=S3CRET-T0KEN"
    overpass.fail_next(504, times=2)
    with caplog.at_level(logging.INFO), pytest.raises(OsmSourceError) as error:
        fetch_overpass(url, [SCHOOL], AREA, retries=1, backoff_s=0.01)
    assert "S3CRET" not in str(error.value) and "token=***" in str(error.value)
    assert caplog.messages and not any("S3CRET" in m for m in caplog.messages)
    assert "token=***" in " ".join(caplog.messages)


def test_status_page_reading() -> None:
    assert status_url("https://overpass.example/api/interpreter?key=1") == "https://overpass.example/api/status?key=1"
    assert slot_wait_s("Rate limit: 2\n2 slots available now.\n") == 0
    assert slot_wait_s("Rate limit: 2\nSlot available after: 2024-01-01T00:00:10Z, in 8 seconds.\n"
                       "Slot available after: 2024-01-01T00:00:40Z, in 38 seconds.\n") == 8
    assert slot_wait_s("Rate limit: 0\n") == 0
    assert slot_wait_s("<html>not a status page</html>") is None


def test_the_user_agent_names_the_contact(overpass: OverpassEmulator) -> None:
    fetch_overpass(overpass.url, [SCHOOL], AREA, contact="opendata@ville.example")
    agent = overpass.requests[-1].user_agent or ""
    assert agent.startswith("osmbridge/") and "contact: opendata@ville.example" in agent
