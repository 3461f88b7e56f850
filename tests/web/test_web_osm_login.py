"""OSM OAuth2 login for mappers, against a loopback emulator of openstreetmap.org's OAuth2 endpoints."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from emulators.osm_oauth import OsmOAuthEmulator
from web_fixtures import client, load, write_config

from osmbridge.store import Accounts, Store

CALLBACK = "http://testserver/login/osm/callback"
CLIENT_SECRET = "client-secret-value-42"


def _config(tmp_path: Path, osm: OsmOAuthEmulator, allow_new: bool = False):
    web = (f'[web.osm_login]\nclient_id = "osmbridge-test"\nclient_secret = "${{OSM_SECRET}}"\n'
           f'server_url = "{osm.base_url}"\nallow_new_mappers = {str(allow_new).lower()}\n')
    return load(write_config(tmp_path, web), {"OSM_SECRET": CLIENT_SECRET})


def _osm_round_trip(test_client, next_path: str = "/") -> requests.Response:
    """Click "log in with OSM", authorize on the OSM site, come back; return our callback's answer."""
    start = test_client.get(f"/login/osm?next={next_path}", follow_redirects=False)
    assert start.status_code == 303
    authorize_url = start.headers["location"]
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
    approved = requests.post(authorize_url.split("?")[0], data=query, allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return test_client.get(f"{back.path}?{back.query}", follow_redirects=False)


def test_a_known_osm_account_logs_in_as_its_mapper(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with OsmOAuthEmulator("osmbridge-test", CLIENT_SECRET, [CALLBACK]) as osm:
        config = _config(tmp_path, osm)
        accounts = Accounts(Store(config.store_url).engine)
        accounts.add_user("anne", "mapper", "2024", osm_name="Anne Mapper")
        test_client = client(config)
        osm.sign_in(4242, "Anne Mapper")
        response = _osm_round_trip(test_client, "/?lang=fr")
        assert response.status_code == 303 and response.headers["location"] == "/?lang=fr"
        page = test_client.get("/")
        assert 'id="whoami">Anne Mapper<' in page.text
        assert accounts.user("anne").osm_uid == 4242
        # The token was used once and revoked; it is nowhere in our pages or logs.
        assert osm.issued and set(osm.issued) <= osm.revoked
        assert osm.requests.count("/api/0.6/user/details.json") == 1
        for secret in (*osm.issued, CLIENT_SECRET):
            assert secret not in page.text and secret not in caplog.text

        # Renamed on OSM: the user id still finds the account.
        test_client.post("/logout", data={"csrf_token": page.text.split('data-csrf="')[1].split('"')[0]})
        osm.sign_in(4242, "Anne Renamed")
        assert _osm_round_trip(test_client).status_code == 303
        assert accounts.user("anne").osm_name == "Anne Renamed"


def test_unknown_osm_accounts_are_refused_unless_new_mappers_are_allowed(tmp_path: Path) -> None:
    with OsmOAuthEmulator("osmbridge-test", CLIENT_SECRET, [CALLBACK]) as osm:
        osm.sign_in(777, "Stranger")
        refused = _osm_round_trip(client(_config(tmp_path, osm)))
        assert refused.status_code == 403 and "has no access here" in refused.text
        assert "osmbridge_session" not in refused.headers.get("set-cookie", "")

        (tmp_path / "open").mkdir()
        open_config = _config(tmp_path / "open", osm, allow_new=True)
        welcomed = _osm_round_trip(client(open_config))
        assert welcomed.status_code == 303
        user = Accounts(Store(open_config.store_url).engine).user("osm-777")
        assert (user.role, user.display_name, user.has_password) == ("mapper", "Stranger", False)


def test_a_callback_without_its_login_attempt_or_with_a_used_code_is_refused(tmp_path: Path) -> None:
    with OsmOAuthEmulator("osmbridge-test", CLIENT_SECRET, [CALLBACK]) as osm:
        config = _config(tmp_path, osm, allow_new=True)
        osm.sign_in(5, "Eve")
        # Someone else's callback URL (forged state), in a browser that started no login.
        assert client(config).get("/login/osm/callback?code=abc&state=xyz").status_code == 403
        # A replayed callback: the code is single-use at the OSM server.
        test_client = client(config)
        start = test_client.get("/login/osm", follow_redirects=False).headers["location"]
        query = {k: v[0] for k, v in parse_qs(urlsplit(start).query).items()}
        back = requests.post(start.split("?")[0], data=query, allow_redirects=False, timeout=10).headers["Location"]
        path = back.split("testserver", 1)[1]
        assert test_client.get(path, follow_redirects=False).status_code == 303
        replay = client(config)
        replay.cookies = test_client.cookies
        replay.cookies.delete("osmbridge_session")
        assert replay.get(path, follow_redirects=False).status_code in (403, 502)


def test_the_client_secret_must_come_from_the_environment(tmp_path: Path) -> None:
    from osmbridge.errors import ConfigError

    path = write_config(tmp_path, '[web.osm_login]\nclient_id = "x"\nclient_secret = "written-in-the-file"\n')
    with pytest.raises(ConfigError, match=r"client_secret.*environment variable"):
        load(path)
    assert "abc-secret" not in repr(load(write_config(tmp_path, '[web.osm_login]\nclient_id = "x"\n'
                                                             'client_secret = "${S}"\n'), {"S": "abc-secret"}))
