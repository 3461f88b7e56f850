"""The store's schema under Alembic: migrations equal tables.py, old stores upgrade, errors say what to do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from old_schema import create_old_store
from sqlalchemy import create_engine, inspect, text

from osmbridge.cli import main
from osmbridge.store import Store, StoreError
from osmbridge.store.engine import open_engine
from osmbridge.store.schema import BASELINE, _alembic_config, ensure_schema, head_revision, schema_status
from osmbridge.store.tables import Base


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision


def test_the_migrations_build_exactly_the_tables_of_the_code(url: str) -> None:
    from alembic import command

    engine = open_engine(url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    # A table or column added to tables.py without a revision in migrations/versions/ shows up here.
    assert differences == []


def test_a_new_store_is_created_at_the_newest_revision(url: str) -> None:
    store = Store(url)
    assert store.schema_change == "created"
    store.close()
    assert revision_of(url) == head_revision()
    assert Store(url).schema_change == ""


def test_a_store_made_before_migrations_is_upgraded_and_keeps_its_history(url: str, tmp_path: Path) -> None:
    create_old_store(create_engine(url))

    store = Store(url)

    assert store.schema_change == f"upgraded from before migrations to {head_revision()}"
    assert revision_of(url) == head_revision()
    [counts] = store.history("libs")
    assert (counts.run_id, counts.city_places, counts.differences) == (1, 2, 3)
    [decision] = store.decisions("libs")
    assert (decision.verdict, decision.osm_key, decision.author) == ("same", "n10", "anne")
    assert store.sync_base("libs").city_tags == {"B1": {"name": "Médiathèque"}}
    assert store.latest_fingerprints("libs", "B1", "n10") == ("cfp1", "ofp1")
    # New rows go on after the old ones (the id sequences survived).
    assert store.start_run("test", "2025-06-03T02:00:00+00:00") == 3
    store.close()
    if url.startswith("sqlite"):  # the file as it was, before the upgrade
        backup = tmp_path / f"state.sqlite.before-{head_revision()}"
        assert revision_of(f"sqlite:///{backup}") is None
        assert create_engine(f"sqlite:///{backup}").connect().execute(text("SELECT count(*) FROM runs")).scalar() == 2


def test_an_old_store_missing_a_baseline_column_is_refused_by_name(url: str) -> None:
    engine = create_engine(url)
    create_old_store(engine, rows=False)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE sync_base DROP COLUMN closed"))
    with pytest.raises(StoreError, match=r"older than its first migration and lacks sync_base\.closed"):
        Store(url)


def test_a_store_from_a_newer_osmbridge_says_so(url: str) -> None:
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StoreError, match=r"revision '9999_from_the_future'.*a newer osmbridge upgraded it"):
        Store(url)


def test_a_schema_that_does_not_match_is_a_store_error_with_the_fix(url: str) -> None:
    store = Store(url)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE match_decisions"))
    with pytest.raises(StoreError, match=r"does not have the tables.*run `osmbridge store upgrade"):
        store.decisions("libs")


def test_a_server_that_does_not_answer_is_a_clear_error() -> None:
    # Port 9 (discard) is closed on the loopback: the connection is refused at once.
    with pytest.raises(StoreError, match=r"cannot reach the state store postgresql\+psycopg://osmbridge:\*\*\*@"
                                         r"127\.0\.0\.1:9/x.*and that the database server runs"):
        Store("postgresql+psycopg://osmbridge:secret@127.0.0.1:9/x")


def test_stores_opened_at_once_are_created_once(url: str) -> None:
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(url).close()
        except BaseException as error:  # noqa: BLE001 (reported by the assertion)
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert schema_status(open_engine(url)).up_to_date


def test_the_revisions_form_one_chain_from_the_baseline() -> None:
    from osmbridge.store.schema import _scripts

    chain = [script.revision for script in _scripts().walk_revisions()]
    assert chain[-1] == BASELINE and chain[0] == head_revision()


def test_store_status_and_upgrade_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.sqlite"
    create_old_store(create_engine(f"sqlite:///{state}"))
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{state}"\n', encoding="utf-8")

    assert main(["store", "status", "--config", str(config)]) == 0
    assert f"revision made before migrations; this osmbridge: {head_revision()}" in capsys.readouterr().out
    assert main(["store", "upgrade", "--config", str(config)]) == 0
    assert "upgraded from before migrations" in capsys.readouterr().out
    assert main(["store", "status", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"revision {head_revision()}; this osmbridge: {head_revision()}" in out and "pending" not in out


def test_ensure_schema_is_idempotent(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    assert ensure_schema(engine) == "created"
    assert ensure_schema(engine) == ""
    assert "runs" in inspect(engine).get_table_names()
