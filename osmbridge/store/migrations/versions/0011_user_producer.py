"""A review account may answer for one producer of a dataset (an association, a department): its
decisions on to-city items are limited to that producer's data, and its queues open filtered on it.

Revision ID: 0011_user_producer
Revises: 0010_producers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_user_producer"
down_revision = "0010_producers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("producer", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("producer")
