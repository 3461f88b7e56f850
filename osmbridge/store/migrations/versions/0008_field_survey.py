"""Field survey: agents' answers, the value a survey item carries, and the OSM place each city record
was matched to in a run (so that a survey page lists a matched pair as one place).

Revision ID: 0008_field_survey
Revises: 0007_push_journal
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_field_survey"
down_revision = "0007_push_journal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=True),
        sa.Column("osm_key", sa.String(32), nullable=True),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("field", sa.String(200), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("observed_at", sa.String(32), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("item_ids", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="survey_answers_pkey"),
        sa.UniqueConstraint("answer_id", name="survey_answers_answer_id_key"),
    )
    op.create_index("ix_survey_answers_dataset", "survey_answers", ["dataset"])
    with op.batch_alter_table("differences") as batch:
        batch.add_column(sa.Column("survey_value", sa.Text(), nullable=True))
    with op.batch_alter_table("city_snapshots") as batch:
        batch.add_column(sa.Column("osm_key", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("city_snapshots") as batch:
        batch.drop_column("osm_key")
    with op.batch_alter_table("differences") as batch:
        batch.drop_column("survey_value")
    op.drop_table("survey_answers")
