"""OSM notes: the notes seen near each dataset's places, and the review items following one.

Revision ID: 0009_osm_notes
Revises: 0008_field_survey
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_osm_notes"
down_revision = "0008_field_survey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "osm_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("closed_at", sa.String(32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=True),
        sa.Column("source_id", sa.String(200), nullable=True),
        sa.Column("osm_key", sa.String(32), nullable=True),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("concern", sa.String(16), nullable=True),
        sa.Column("keyword", sa.Text(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="osm_notes_pkey"),
        sa.UniqueConstraint("dataset", "note_id", name="osm_notes_dataset_note_id_key"),
    )
    op.create_index("ix_osm_notes_dataset_place", "osm_notes", ["dataset", "source_id"])
    op.create_table(
        "osm_note_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("diff_id", sa.String(64), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="osm_note_links_pkey"),
        sa.UniqueConstraint("diff_id", "note_id", name="osm_note_links_diff_id_note_id_key"),
    )
    op.create_index("ix_osm_note_links_diff_id", "osm_note_links", ["diff_id"])
    op.create_index("ix_osm_note_links_note", "osm_note_links", ["dataset", "note_id"])


def downgrade() -> None:
    op.drop_table("osm_note_links")
    op.drop_table("osm_notes")
