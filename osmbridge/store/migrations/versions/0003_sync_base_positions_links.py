"""The sync base keeps each place's position and what it was linked to, so that a later run can say
which side moved a place, and which side lost a link (a deleted record or object).

Revision ID: 0003_sync_base_positions_links
Revises: 0002_difference_osm_edit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sync_base_positions_links"
down_revision = "0002_difference_osm_edit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_base") as batch:
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("linked", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_base") as batch:
        batch.drop_column("linked")
        batch.drop_column("lat")
        batch.drop_column("lon")
