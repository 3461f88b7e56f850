"""Baseline: the schema of the first released store (runs, dataset runs, snapshots, sync base, differences,
match decisions).

A store created before migrations existed holds exactly these tables; `osmbridge.store.schema` stamps it
with this revision, then upgrades it.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="runs_pkey"),
    )
    op.create_table(
        "dataset_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("report_dir", sa.Text(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="dataset_runs_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="dataset_runs_pkey"),
    )
    op.create_index("ix_dataset_runs_run_id", "dataset_runs", ["run_id"])
    op.create_index("ix_dataset_runs_dataset", "dataset_runs", ["dataset"])
    op.create_table(
        "city_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_run_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("geometry_wkt", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_run_id"], ["dataset_runs.id"], name="city_snapshots_dataset_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="city_snapshots_pkey"),
    )
    op.create_index("ix_city_snapshots_dataset_run_id", "city_snapshots", ["dataset_run_id"])
    op.create_table(
        "osm_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_run_id", sa.Integer(), nullable=False),
        sa.Column("osm_key", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_run_id"], ["dataset_runs.id"], name="osm_snapshots_dataset_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="osm_snapshots_pkey"),
    )
    op.create_index("ix_osm_snapshots_dataset_run_id", "osm_snapshots", ["dataset_run_id"])
    op.create_table(
        "sync_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("place_key", sa.String(200), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="sync_base_pkey"),
        sa.UniqueConstraint("dataset", "side", "place_key", name="sync_base_dataset_side_place_key_key"),
    )
    op.create_table(
        "differences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_run_id", sa.Integer(), nullable=False),
        sa.Column("diff_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=True),
        sa.Column("osm_key", sa.String(32), nullable=True),
        sa.Column("field", sa.String(200), nullable=True),
        sa.Column("city_value", sa.Text(), nullable=True),
        sa.Column("osm_value", sa.Text(), nullable=True),
        sa.Column("changed_side", sa.String(16), nullable=False),
        sa.Column("proposal", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["dataset_run_id"], ["dataset_runs.id"], name="differences_dataset_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="differences_pkey"),
    )
    op.create_index("ix_differences_diff_id", "differences", ["diff_id"])
    op.create_index("ix_differences_dataset_run_id", "differences", ["dataset_run_id"])
    op.create_table(
        "match_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("osm_key", sa.String(32), nullable=True),
        sa.Column("city_fingerprint", sa.String(64), nullable=False),
        sa.Column("osm_fingerprint", sa.String(64), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="match_decisions_pkey"),
        sa.UniqueConstraint("dataset", "source_id", "verdict", "osm_key",
                            name="match_decisions_dataset_source_id_verdict_osm_key_key"),
    )
    op.create_index("ix_match_decisions_dataset", "match_decisions", ["dataset"])


def downgrade() -> None:
    for table in ("match_decisions", "differences", "sync_base", "osm_snapshots", "city_snapshots",
                  "dataset_runs", "runs"):
        op.drop_table(table)


_COUNTS = ("city_places", "osm_places", "matched", "ambiguous", "missing_in_osm", "missing_in_city",
           "differences", "skipped")
