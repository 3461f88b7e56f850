"""Differences keep the tag changes of their proposal (a lifecycle move, a creation's tags).

Revision ID: 0002_difference_osm_edit
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_difference_osm_edit"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("differences") as batch:
        batch.add_column(sa.Column("osm_edit", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("differences") as batch:
        batch.drop_column("osm_edit")
