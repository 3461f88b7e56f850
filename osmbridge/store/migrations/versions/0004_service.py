"""Service: who runs a run (host, pid, heartbeat), dataset runs' end, run steps, named locks.

Revision ID: 0004_service
Revises: 0003_sync_base_positions_links
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_service"
down_revision = "0003_sync_base_positions_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("host", sa.String(200), nullable=True))
        runs.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        runs.add_column(sa.Column("heartbeat_at", sa.Float(), nullable=True))
    with op.batch_alter_table("dataset_runs") as dataset_runs:
        dataset_runs.add_column(sa.Column("finished_at", sa.String(32), nullable=True))
    op.create_table(
        "run_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_run_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_run_id"], ["dataset_runs.id"], name="run_steps_dataset_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="run_steps_pkey"),
    )
    op.create_index("ix_run_steps_dataset_run_id", "run_steps", ["dataset_run_id"])
    op.create_table(
        "locks",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("acquired_at", sa.String(32), nullable=False),
        sa.Column("heartbeat_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="locks_pkey"),
    )


def downgrade() -> None:
    op.drop_table("locks")
    op.drop_index("ix_run_steps_dataset_run_id", table_name="run_steps")
    op.drop_table("run_steps")
    with op.batch_alter_table("dataset_runs") as dataset_runs:
        dataset_runs.drop_column("finished_at")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("heartbeat_at")
        runs.drop_column("pid")
        runs.drop_column("host")
