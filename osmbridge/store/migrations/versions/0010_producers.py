"""Several producers per dataset: differences name the producers they are routed to, and each
producer's counts, agreement with OSM and freshness are kept per run.

Revision ID: 0010_producers
Revises: 0009_osm_notes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_producers"
down_revision = "0009_osm_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("differences") as batch:
        batch.add_column(sa.Column("producers", sa.String(400), nullable=True))
        batch.add_column(sa.Column("producer_values", sa.JSON(), nullable=True))
    op.create_table(
        "producer_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_run_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("producer", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("licence", sa.String(200), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("linked", sa.Integer(), nullable=False),
        sa.Column("fields_compared", sa.Integer(), nullable=False),
        sa.Column("fields_agreed", sa.Integer(), nullable=False),
        sa.Column("routed", sa.Integer(), nullable=False),
        sa.Column("disagreements", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("data_date", sa.String(32), nullable=True),
        sa.Column("last_change", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(["dataset_run_id"], ["dataset_runs.id"], name="producer_runs_dataset_run_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="producer_runs_pkey"),
    )
    op.create_index("ix_producer_runs_dataset_run_id", "producer_runs", ["dataset_run_id"])
    op.create_index("ix_producer_runs_dataset", "producer_runs", ["dataset", "producer"])


def downgrade() -> None:
    op.drop_table("producer_runs")
    with op.batch_alter_table("differences") as batch:
        batch.drop_column("producer_values")
        batch.drop_column("producers")
