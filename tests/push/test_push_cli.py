"""`osmbridge push` and `osmbridge osm login` end to end: config, state store, review decisions, the emulator."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import osmium
import pytest

from emulators.osm_api import USER
from emulators.osm_api_data import document, element_xml
from osmbridge.cli import main
from osmbridge.push.city_log import read_log
from osmbridge.store import Store
from push.conftest import TOKEN
from push.project_fixtures import write_project
from push.push_fixtures import CREATED_TAGS, DATASET, EXPECTED_TAGS


@pytest.fixture
def project(tmp_path, api, monkeypatch):
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)
    return write_project(tmp_path, api.url)


def read_tags(path: Path) -> dict[str, tuple[dict[str, str], tuple[float, float] | None]]:
    found = {}
    for obj in osmium.FileProcessor(str(path)):
        position = (round(obj.location.lat, 7), round(obj.location.lon, 7)) if obj.is_node() else None
        found[f"{obj.type_str()}{obj.id}"] = ({t.k: t.v for t in obj.tags}, position)
    return found


def test_dry_run_writes_osc_and_tags_and_sends_nothing(project, api, tmp_path, capsys):
    before = len(api.writes)
    assert main(["push", "--config", str(project), "--dataset", DATASET, "--dry-run", "--out",
                 str(tmp_path / "dry")]) == 0
    assert len(api.writes) == before == 0
    assert not any(r.authorised for r in api.requests)  # not even the token was sent
    summary = json.loads((tmp_path / "dry" / "changesets.json").read_text(encoding="utf-8"))
    [changeset] = summary["changesets"]
    assert changeset["tags"]["comment"] == "Test City: reviewed updates"
    assert changeset["tags"]["hashtags"] == "#osmbridge #testcity" and changeset["tags"]["import"] == "yes"
    assert changeset["tags"]["source:license"] == "ODbL-1.0" and changeset["changes"] == 6
    out = capsys.readouterr().out
    assert "dry run, nothing sent" in out and "changeset-001.osc" in out
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    assert len(store.accepted_items(DATASET, "to_osm")) == 6  # still accepted: nothing was pushed
    assert len(store.accepted_items(DATASET, "to_city")) == 1
    store.close()
    assert not (tmp_path / "reports" / DATASET / "city-push" / "city-changes.csv").exists()


def test_the_osc_applied_with_osmium_to_the_api_data_gives_the_intended_tags(project, api, tmp_path):
    source = tmp_path / "town.osm"
    source.write_bytes(document(element_xml(v) for v in api.elements()))
    main(["push", "--config", str(project), "--dataset", DATASET, "--to", "osm", "--dry-run", "--out",
          str(tmp_path / "dry")])
    merged = tmp_path / "town-after.osm"
    changes = osmium.MergeInputReader()
    changes.add_file(str(tmp_path / "dry" / "changeset-001.osc"))
    writer = osmium.io.Writer(str(merged))
    changes.apply_to_reader(osmium.io.Reader(str(source)), writer)
    writer.close()
    before, after = read_tags(source), read_tags(merged)
    for key, tags in EXPECTED_TAGS.items():
        assert after[key][0] == tags, key
        assert after[key][1] == before[key][1]  # positions untouched
    [new] = [value for key, value in after.items() if key not in before]
    assert new[0] == CREATED_TAGS and new[1] == (47.221, -1.561)
    untouched = set(before) - set(EXPECTED_TAGS)
    assert all(after[key] == before[key] for key in untouched)


def test_push_sends_to_osm_and_the_city_and_marks_the_items(project, api, tmp_path, capsys):
    assert main(["push", "--config", str(project), "--dataset", DATASET]) == 0
    for key, tags in EXPECTED_TAGS.items():
        assert api.element(key).tags == tags
    out = capsys.readouterr().out
    assert "6 items pushed in changesets" in out and "1 fields written" in out
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    assert store.accepted_items(DATASET, "to_osm") == [] and store.accepted_items(DATASET, "to_city") == []
    item = store.review_item("n1-phone")
    assert item.decision.state == "pushed" and item.decision.push_ref.startswith("osm:changeset/")
    store.close()
    copy = tmp_path / "reports" / DATASET / "city-push" / "equipements.csv"
    assert copy.read_bytes().decode("cp1252").splitlines()[2] == "2;Mairie annexe;+33 2 40 11 11 12"
    [logged] = read_log(tmp_path / "reports" / DATASET / "city-push" / "city-changes.csv")
    assert (logged.record, logged.osm_element, logged.osm_version) == ("2", "n2", "2")  # n2 v2: our own upload
    assert next(c.tags["created_by"] for c in api.changesets if c.user == USER).startswith("osmbridge/")


def test_a_blocked_licence_says_why_and_sends_nothing(tmp_path, api, monkeypatch, capsys):
    monkeypatch.setenv("OSMBRIDGE_OSM_TOKEN", TOKEN)
    config = write_project(tmp_path, api.url, licence="CC-BY-NC-4.0")
    assert main(["push", "--config", str(config), "--dataset", DATASET]) == 0
    out = capsys.readouterr().out
    assert "BLOCKED by the licence gate" in out and "NC/ND" in out and "Bloqué" in out
    assert api.requests == []


def test_without_a_token_the_push_says_how_to_get_one(tmp_path, api, monkeypatch, capsys):
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    config = write_project(tmp_path, api.url)
    assert main(["push", "--config", str(config), "--dataset", DATASET, "--to", "osm"]) == 1
    assert "osmbridge osm login" in capsys.readouterr().out and api.writes == []


def test_the_token_never_appears_in_output_or_logs(project, api, capsys, caplog):
    caplog.set_level("DEBUG")
    api.fail_next(429, times=1)
    main(["-v", "push", "--config", str(project), "--dataset", DATASET, "--to", "osm"])
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err + caplog.text


def test_osm_login_stores_a_private_token_file(tmp_path, api, monkeypatch, capsys):
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    config = write_project(tmp_path, api.url)
    answers = []

    def browser(prompt: str) -> str:
        # What the user does: open the printed URL, allow, paste the code.
        from urllib.parse import parse_qs, urlsplit

        url = next(line.strip() for line in capsys.readouterr().out.splitlines() if "/oauth2/authorize?" in line)
        query = parse_qs(urlsplit(url).query)
        assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["osmbridge-client"]
        assert "write_api" in query["scope"][0]
        answers.append(url)
        return api.authorize(query["code_challenge"][0], query["redirect_uri"][0])

    monkeypatch.setattr("builtins.input", browser)
    assert main(["osm", "login", "--config", str(config)]) == 0
    token_file = tmp_path / "token"
    assert token_file.read_text().strip() == TOKEN
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "osmbridge-test" in capsys.readouterr().out
    # The push now finds the token in the file.
    assert main(["push", "--config", str(config), "--dataset", DATASET, "--to", "osm"]) == 0
    assert api.element("n1").tags == EXPECTED_TAGS["n1"]


def test_a_world_readable_token_file_is_refused(tmp_path, api, monkeypatch, capsys):
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    config = write_project(tmp_path, api.url)
    (tmp_path / "token").write_text(TOKEN)
    (tmp_path / "token").chmod(0o644)
    assert main(["push", "--config", str(config), "--dataset", DATASET, "--to", "osm"]) == 1
    assert "chmod 600" in capsys.readouterr().out and api.writes == []


def test_a_wrong_code_is_a_clear_error(tmp_path, api, monkeypatch, capsys):
    monkeypatch.delenv("OSMBRIDGE_OSM_TOKEN", raising=False)
    config = write_project(tmp_path, api.url)
    monkeypatch.setattr("builtins.input", lambda prompt: "not-a-code")
    assert main(["osm", "login", "--config", str(config)]) == 1
    assert "did not give a token" in capsys.readouterr().err and not (tmp_path / "token").exists()


def test_the_token_is_refused_in_config(tmp_path):
    from osmbridge.config import load_config
    from osmbridge.errors import ConfigError

    (tmp_path / "config.toml").write_text('[osm_api]\ntoken = "abc"\n')
    with pytest.raises(ConfigError, match=r"never goes in config\.toml"):
        load_config(tmp_path / "config.toml", {})


def test_a_push_while_another_runs_is_refused_and_sends_nothing(project, api, tmp_path, capsys):
    from osmbridge.store.push_lock import push_lock

    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    try:
        with push_lock(store.engine, DATASET):
            assert main(["push", "--config", str(project), "--dataset", DATASET]) == 1
    finally:
        store.close()
    assert "another `osmbridge push`" in capsys.readouterr().out and api.requests == []


def test_a_scheduled_run_pushes_through_push_accepted(project, api):
    from osmbridge.config import load_config
    from osmbridge.push import push_accepted
    from osmbridge.service.push_hook import push_accepted as hook

    config = load_config(project, {"OSMBRIDGE_OSM_TOKEN": TOKEN})
    assert hook(config, DATASET) == 7  # six OSM items, one city field
    assert api.element("w100").tags == EXPECTED_TAGS["w100"]
    assert push_accepted(config, DATASET) == 0  # nothing left


def test_push_accepted_raises_when_a_direction_fails(tmp_path, api):
    from osmbridge.config import load_config
    from osmbridge.errors import OsmbridgeError
    from osmbridge.push import push_accepted

    config = load_config(write_project(tmp_path, api.url), {})  # no token anywhere
    with pytest.raises(OsmbridgeError, match="osmbridge osm login"):
        push_accepted(config, DATASET)


def test_an_osm_api_nobody_answers_is_one_clear_line(tmp_path, monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a port on 127.0.0.1 where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_project(tmp_path, f"http://127.0.0.1:{port}")
    assert main(["push", "--config", str(config), "--dataset", DATASET, "--to", "osm", "--dry-run", "--out",
                 str(tmp_path / "dry")]) == 1
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "-> osm" in line]
    assert f"cannot reach the OSM API at http://127.0.0.1:{port} (Connection refused)" in line
    assert "[osm_api] url" in line and "HTTP 0" not in line and "HTTPConnectionPool" not in line
    assert not (tmp_path / "dry" / "changesets.json").exists()


def test_osm_login_without_a_client_id_names_every_scope_the_login_asks_for(tmp_path, capsys):
    from osmbridge.push.auth import SCOPES

    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "state.sqlite"}"\n', encoding="utf-8")
    assert main(["osm", "login", "--config", str(config)]) == 1
    error = capsys.readouterr().err
    assert "[osm_api] client_id" in error
    # An application registered with fewer scopes than the login asks for is refused by osm.org.
    assert set(SCOPES.split()) == {"read_prefs", "write_api", "write_notes"}
    assert f"scopes {SCOPES}" in error
