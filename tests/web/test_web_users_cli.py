"""`osmbridge users`: accounts from the command line, passwords never as arguments nor in clear."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from argon2 import profiles
from web_fixtures import load, write_config

from osmbridge.cli import main
from osmbridge.store import Accounts, Store
from osmbridge.web import passwords


def _users(config_path: Path) -> Accounts:
    return Accounts(Store(load(config_path).store_url).engine)


def test_add_list_passwd_disable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password-1\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--display-name", "Anne L.", "--password-stdin",
                 "--config", str(config)]) == 0
    monkeypatch.setenv("MARC_PASSWORD", "marc-password-2")
    assert main(["users", "add", "marc", "--role", "city_staff", "--password-env", "MARC_PASSWORD",
                 "--config", str(config)]) == 0
    assert main(["users", "add", "bob", "--role", "mapper", "--osm-name", "Bob B", "--no-password",
                 "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--config", str(config)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:3] for line in listing] == [
        ["anne", "mapper", "active"], ["bob", "mapper", "active"], ["marc", "city_staff", "active"]]
    assert "OSM Bob B" in listing[1] and "first-password-1" not in "".join(listing)

    accounts = _users(config)
    _, stored = accounts.password_hash("anne")  # type: ignore[misc]
    assert passwords.verify_password(stored, "first-password-1")
    monkeypatch.setattr("sys.stdin", io.StringIO("second-password-2\n"))
    assert main(["users", "passwd", "anne", "--password-stdin", "--config", str(config)]) == 0
    _, stored = accounts.password_hash("anne")  # type: ignore[misc]
    assert passwords.verify_password(stored, "second-password-2")
    assert not passwords.verify_password(stored, "first-password-1")

    assert main(["users", "disable", "marc", "--config", str(config)]) == 0
    assert accounts.user("marc").disabled
    assert main(["users", "role", "anne", "city_staff", "--config", str(config)]) == 0
    assert accounts.user("anne").role == "city_staff"


def test_refusals_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin", "--config", str(config)]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    assert main(["users", "add", "anne", "--role", "boss", "--no-password", "--osm-name", "A",
                 "--config", str(config)]) == 1
    assert "role 'boss': expected one of mapper, city_staff, admin" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal, no --password-stdin
    assert main(["users", "add", "anne", "--role", "mapper", "--config", str(config)]) == 1
    assert "--password-stdin" in capsys.readouterr().err
    assert main(["users", "disable", "nobody", "--config", str(config)]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin", "--config", str(config)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin", "--config", str(config)]) == 1
    assert "exists already" in capsys.readouterr().err


def test_password_is_not_an_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["users", "add", "anne", "--role", "mapper", "--password", "in-the-history", "--config",
              str(write_config(tmp_path))])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_no_password_is_stored_in_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)  # what production uses
    config = write_config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("correct-horse-battery\n"))
    assert main(["users", "add", "anne", "--role", "mapper", "--password-stdin", "--config", str(config)]) == 0
    _, stored = _users(config).password_hash("anne")  # type: ignore[misc]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    database = (tmp_path / "state.sqlite").read_bytes()
    assert b"correct-horse-battery" not in database and stored.encode() in database
