"""The one redaction helper: URL passwords, secret query parameters, bearer tokens, registered values."""

from __future__ import annotations

import logging

import pytest

from osmbridge.config import load_config
from osmbridge.redact import install_log_redaction, redact, register_secret


@pytest.mark.parametrize(("text", "shown"), [
    ("postgresql+psycopg://osmbridge:hunter2@db/osm", "postgresql+psycopg://osmbridge:***@db/osm"),
    ("https://o.example/api/interpreter?token=abc123&x=1", "https://o.example/api/interpreter?token=***&x=1"),
    ("GET https://portal/api?apikey=K3Y&limit=10 failed", "GET https://portal/api?apikey=***&limit=10 failed"),
    ("https://h/x?access_token=t0k#frag", "https://h/x?access_token=***#frag"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30", "Authorization: Bearer ***"),
    ("https://overpass-api.de/api/interpreter: 504", "https://overpass-api.de/api/interpreter: 504"),
    ("file.csv:12: field 'nom': empty", "file.csv:12: field 'nom': empty"),
])
def test_secrets_in_text_are_hidden_and_the_rest_kept(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_values_from_the_environment_in_urls_and_passwords_are_hidden(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[store]\nurl = "postgresql+psycopg://u@db/osm?sslkey=${DB_KEY}"\n'
                      '[osm]\noverpass_url = "https://overpass.example/${OVERPASS_PATH}/api/interpreter"\n'
                      '[notify.webhook]\nurl = "https://hooks.example/services/${HOOK}"\n'
                      '[reports]\ndirectory = "${REPORTS}"\n', encoding="utf-8")
    load_config(config, {"DB_KEY": "key-material-1", "OVERPASS_PATH": "private-9f8e", "HOOK": "T000/B000/XXXX",
                         "REPORTS": "/srv/reports-out"})
    assert redact("key-material-1 private-9f8e T000/B000/XXXX") == "*** *** ***"
    assert redact("https://hooks.example/services/T000/B000/XXXX") == "***"
    assert redact("/srv/reports-out") == "/srv/reports-out"  # a path is not a secret


def test_every_log_record_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    register_secret("pa55word-xyz")
    with caplog.at_level(logging.INFO):
        logging.getLogger("any.library").info("connecting to %s with %s", "https://u:pw@h/x", "pa55word-xyz")
    assert caplog.messages == ["connecting to https://u:***@h/x with ***"]
