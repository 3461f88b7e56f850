"""A state store as osmbridge made it before migrations existed: its DDL, and a few rows of history.

The statements are what SQLAlchemy's create_all emitted for osmbridge/store/tables.py at main 4caa663
(unnamed constraints; `SERIAL` on PostgreSQL).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

TABLES = (
    "CREATE TABLE match_decisions ( id {serial} NOT NULL, dataset VARCHAR(200) NOT NULL, source_id VARCHAR(200) "
    "NOT NULL, verdict VARCHAR(16) NOT NULL, osm_key VARCHAR(32), city_fingerprint VARCHAR(64) NOT NULL, "
    "osm_fingerprint VARCHAR(64), author VARCHAR(200) NOT NULL, decided_at VARCHAR(32) NOT NULL, PRIMARY KEY (id), "
    "UNIQUE (dataset, source_id, verdict, osm_key) )",
    "CREATE INDEX ix_match_decisions_dataset ON match_decisions (dataset)",
    "CREATE TABLE runs ( id {serial} NOT NULL, started_at VARCHAR(32) NOT NULL, finished_at VARCHAR(32), "
    "status VARCHAR(16) NOT NULL, \"trigger\" VARCHAR(32) NOT NULL, message TEXT NOT NULL, PRIMARY KEY (id) )",
    "CREATE TABLE sync_base ( id {serial} NOT NULL, dataset VARCHAR(200) NOT NULL, side VARCHAR(8) NOT NULL, "
    "place_key VARCHAR(200) NOT NULL, tags JSON NOT NULL, closed BOOLEAN NOT NULL, run_id INTEGER NOT NULL, "
    "PRIMARY KEY (id), UNIQUE (dataset, side, place_key) )",
    "CREATE TABLE dataset_runs ( id {serial} NOT NULL, run_id INTEGER NOT NULL, dataset VARCHAR(200) NOT NULL, "
    "started_at VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL, error TEXT NOT NULL, report_dir TEXT NOT NULL, "
    "city_places INTEGER NOT NULL, osm_places INTEGER NOT NULL, matched INTEGER NOT NULL, ambiguous INTEGER NOT NULL, "
    "missing_in_osm INTEGER NOT NULL, missing_in_city INTEGER NOT NULL, differences INTEGER NOT NULL, "
    "skipped INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(run_id) REFERENCES runs (id) )",
    "CREATE INDEX ix_dataset_runs_run_id ON dataset_runs (run_id)",
    "CREATE INDEX ix_dataset_runs_dataset ON dataset_runs (dataset)",
    "CREATE TABLE city_snapshots ( id {serial} NOT NULL, dataset_run_id INTEGER NOT NULL, source_id VARCHAR(200) "
    "NOT NULL, fingerprint VARCHAR(64) NOT NULL, tags JSON NOT NULL, fields JSON NOT NULL, geometry_wkt TEXT NOT NULL, "
    "PRIMARY KEY (id), FOREIGN KEY(dataset_run_id) REFERENCES dataset_runs (id) )",
    "CREATE INDEX ix_city_snapshots_dataset_run_id ON city_snapshots (dataset_run_id)",
    "CREATE TABLE differences ( id {serial} NOT NULL, dataset_run_id INTEGER NOT NULL, diff_id VARCHAR(64) NOT NULL, "
    "kind VARCHAR(32) NOT NULL, source_id VARCHAR(200), osm_key VARCHAR(32), field VARCHAR(200), city_value TEXT, "
    "osm_value TEXT, changed_side VARCHAR(16) NOT NULL, proposal VARCHAR(16) NOT NULL, PRIMARY KEY (id), "
    "FOREIGN KEY(dataset_run_id) REFERENCES dataset_runs (id) )",
    "CREATE INDEX ix_differences_diff_id ON differences (diff_id)",
    "CREATE INDEX ix_differences_dataset_run_id ON differences (dataset_run_id)",
    "CREATE TABLE osm_snapshots ( id {serial} NOT NULL, dataset_run_id INTEGER NOT NULL, osm_key VARCHAR(32) NOT NULL, "
    "version INTEGER NOT NULL, fingerprint VARCHAR(64) NOT NULL, tags JSON NOT NULL, lon FLOAT NOT NULL, "
    "lat FLOAT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(dataset_run_id) REFERENCES dataset_runs (id) )",
    "CREATE INDEX ix_osm_snapshots_dataset_run_id ON osm_snapshots (dataset_run_id)",
)

ROWS = (
    "INSERT INTO runs (started_at, finished_at, status, \"trigger\", message) VALUES "
    "('2025-06-01T02:00:00+00:00', '2025-06-01T02:03:00+00:00', 'ok', 'cli', ''), "
    "('2025-06-02T02:00:00+00:00', NULL, 'running', 'cli', '')",
    "INSERT INTO dataset_runs (run_id, dataset, started_at, status, error, report_dir, city_places, osm_places, "
    "matched, ambiguous, missing_in_osm, missing_in_city, differences, skipped) VALUES "
    "(1, 'libs', '2025-06-01T02:00:00+00:00', 'ok', '', 'reports/libs/run-00001', 2, 2, 1, 0, 1, 1, 3, 0)",
    "INSERT INTO city_snapshots (dataset_run_id, source_id, fingerprint, tags, fields, geometry_wkt) VALUES "
    "(1, 'B1', 'cfp1', '{\"amenity\": \"library\", \"name\": \"M\\u00e9diath\\u00e8que\"}', '{\"id\": \"B1\"}', "
    "'POINT (-1.55 47.21)')",
    "INSERT INTO osm_snapshots (dataset_run_id, osm_key, version, fingerprint, tags, lon, lat) VALUES "
    "(1, 'n10', 3, 'ofp1', '{\"amenity\": \"library\"}', -1.55, 47.21)",
    "INSERT INTO sync_base (dataset, side, place_key, tags, closed, run_id) VALUES "
    "('libs', 'city', 'B1', '{\"name\": \"M\\u00e9diath\\u00e8que\"}', {false}, 1), "
    "('libs', 'osm', 'n10', '{\"name\": \"Mediatheque\"}', {false}, 1)",
    "INSERT INTO match_decisions (dataset, source_id, verdict, osm_key, city_fingerprint, osm_fingerprint, author, "
    "decided_at) VALUES ('libs', 'B1', 'same', 'n10', 'cfp1', 'ofp1', 'anne', '2025-06-01T09:00:00+00:00')",
)


def create_old_store(engine: Engine, *, rows: bool = True) -> None:
    """Create the pre-migration tables on `engine` and fill them with a run's worth of rows."""
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for statement in TABLES:
            connection.execute(text(statement.replace("{serial}", "SERIAL" if postgres else "INTEGER")))
        for statement in ROWS if rows else ():
            connection.execute(text(statement.replace("{false}", "false" if postgres else "0")))
