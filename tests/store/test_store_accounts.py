"""Users and login sessions in the state store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from osmbridge.store import AccountError, Accounts, Store

NOW, LATER = "2024-11-04T08:00:00+00:00", "2024-11-04T20:00:01+00:00"


def test_users_sessions_and_what_ends_them(url: str) -> None:
    store = Store(url)
    try:
        accounts = Accounts(store.engine)
        anne = accounts.add_user("anne", "mapper", NOW, password_hash="$argon2id$fake", display_name="Anne")
        with pytest.raises(AccountError, match="exists already"):
            accounts.add_user("anne", "admin", NOW, password_hash="$argon2id$x")
        with pytest.raises(AccountError, match="needs a password or an OSM account"):
            accounts.add_user("bob", "mapper", NOW)
        accounts.open_session(anne.id, "a" * 64, "csrf-1", NOW, "2024-11-04T20:00:00+00:00")
        live = accounts.session("a" * 64, NOW)
        assert live is not None and live.user.username == "anne" and live.csrf_token == "csrf-1"
        assert accounts.session("a" * 64, LATER) is None  # expired
        accounts.open_session(anne.id, "b" * 64, "csrf-2", NOW, "2024-11-05T08:00:00+00:00")
        accounts.set_disabled("anne", True)
        assert accounts.session("b" * 64, NOW) is None  # disabling ends the sessions
        accounts.set_disabled("anne", False)
        accounts.open_session(anne.id, "c" * 64, "csrf-3", NOW, "2024-11-05T08:00:00+00:00")
        accounts.set_password("anne", "$argon2id$new")
        assert accounts.session("c" * 64, NOW) is None  # so does a new password
        assert [u.username for u in accounts.users()] == ["anne"]
    finally:
        store.close()


def test_an_osm_login_binds_to_the_account_named_for_it_then_follows_the_user_id(url: str) -> None:
    store = Store(url)
    try:
        accounts = Accounts(store.engine)
        accounts.add_user("bob", "mapper", NOW, osm_name="Bob B")
        assert accounts.osm_user(99, "Mallory", NOW, create_mappers=False) is None
        bob = accounts.osm_user(7, "Bob B", NOW, create_mappers=False)
        assert bob is not None and (bob.username, bob.osm_uid) == ("bob", 7)
        # Someone else takes the name "Bob B" later: the id, not the name, identifies the account.
        assert accounts.osm_user(8, "Bob B", NOW, create_mappers=False) is None
        renamed = accounts.osm_user(7, "Robert", NOW, create_mappers=False)
        assert renamed is not None and renamed.username == "bob" and renamed.osm_name == "Robert"
        created = accounts.osm_user(8, "Bob B", NOW, create_mappers=True)
        assert created is not None and (created.username, created.role) == ("osm-8", "mapper")
    finally:
        store.close()
