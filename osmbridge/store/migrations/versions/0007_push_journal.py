"""Push journal: each changeset attempt of `osmbridge push`, written before upload, its result after.

Revision ID: 0007_push_journal
Revises: 0006_web_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_push_journal"
down_revision = "0006_web_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "push_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changeset_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("changeset_tags", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("osc", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_push_journal_dataset", "push_journal", ["dataset"])
    op.create_index("ix_push_journal_state", "push_journal", ["state"])


def downgrade() -> None:
    op.drop_index("ix_push_journal_state", table_name="push_journal")
    op.drop_index("ix_push_journal_dataset", table_name="push_journal")
    op.drop_table("push_journal")
