"""`osmbridge serve`: the secret key's sources and checks, and logs without secrets."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import requests
from web_fixtures import load, write_config
from web_server import free_port, running_server

from osmbridge.errors import OsmbridgeError
from osmbridge.web.logs import RedactSecrets, redact
from osmbridge.web.serve_cli import secret_key


def test_the_key_comes_from_the_environment_or_a_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config_path = write_config(tmp_path)
    assert secret_key(load(config_path, {"OSMBRIDGE_SECRET_KEY": "e" * 40})) == "e" * 40
    key_file = tmp_path / "keys" / "secret_key"
    key_file.parent.mkdir()
    key_file.write_text("f" * 48 + "\n", encoding="utf-8")
    os.chmod(key_file, 0o644)
    from_file = load(write_config(tmp_path, f'secret_key_file = "{key_file}"'))
    with caplog.at_level(logging.WARNING):
        assert secret_key(from_file) == "f" * 48
    assert "readable by other users" in caplog.text and "f" * 48 not in caplog.text


@pytest.mark.parametrize("web, environ, message", [
    ("", {}, "no secret key to sign the session cookies: set OSMBRIDGE_SECRET_KEY"),
    ("", {"OSMBRIDGE_SECRET_KEY": "short"}, "the secret key has 5 characters, fewer than 32"),
    ('secret_key_file = "missing/key"', {}, "missing/key: cannot read the secret key"),
])
def test_a_missing_or_weak_key_stops_the_server(tmp_path: Path, web: str, environ: dict[str, str],
                                                message: str) -> None:
    with pytest.raises(OsmbridgeError, match=message) as error:
        secret_key(load(write_config(tmp_path, web), environ))
    assert environ.get("OSMBRIDGE_SECRET_KEY", "@@") not in str(error.value)  # a key is never echoed


def test_the_serve_command_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from osmbridge.cli import main

    monkeypatch.delenv("OSMBRIDGE_SECRET_KEY", raising=False)
    assert main(["serve", "--config", str(write_config(tmp_path)), "--port", "1"]) == 1
    assert "OSMBRIDGE_SECRET_KEY" in capsys.readouterr().err


def test_access_log_lines_hide_oauth_codes_states_and_tokens() -> None:
    assert redact("GET /login/osm/callback?code=AbC123&state=xyz HTTP/1.1") == \
        "GET /login/osm/callback?code=***&state=*** HTTP/1.1"
    assert redact("/d/x/to_osm?kind=only_city&q=code=1") == "/d/x/to_osm?kind=only_city&q=code=1"
    # uvicorn's access record: (client, method, full path, http version, status)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/login/osm/callback?state=s3cr3t&code=c0d3", "1.1", 303),
                               None)
    assert RedactSecrets().filter(record)
    assert "s3cr3t" not in record.getMessage() and "c0d3" not in record.getMessage()


def test_the_served_access_log_writes_each_request_with_its_secrets_hidden(tmp_path: Path) -> None:
    # The CLI redacts every log record; uvicorn's access formatter still needs the record's arguments.
    log = tmp_path / "serve.log"
    with running_server(write_config(tmp_path), free_port(), log) as server:
        assert requests.get(f"{server.url}/login?next=/&code=c0d3-s3cr3t", timeout=10).status_code == 200
    text = server.log_text()
    assert "Logging error" not in text and "Traceback" not in text, text
    assert '"GET /login?next=/&code=*** HTTP/1.1" 200' in text, text
    assert "c0d3-s3cr3t" not in text
