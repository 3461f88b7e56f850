"""Review: the full difference in `differences`, review items, and the append-only audit log.

Revision ID: 0005_review
Revises: 0004_service
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_review"
down_revision = "0004_service"
branch_labels = None
depends_on = None

_MESSAGE = "review_events is an append-only audit log"
# The same triggers as osmbridge/store/audit_guard.py creates with a new store (copied: a migration
# stays as it was written).
_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION osmbridge_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$body$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $body$",
        "CREATE TRIGGER review_events_no_change BEFORE UPDATE OR DELETE ON review_events "
        "FOR EACH ROW EXECUTE FUNCTION osmbridge_append_only()",
        "CREATE TRIGGER review_events_no_truncate BEFORE TRUNCATE ON review_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION osmbridge_append_only()",
    ],
}


def upgrade() -> None:
    with op.batch_alter_table("differences") as batch:
        batch.add_column(sa.Column("lon", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("category", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("name", sa.Text(), nullable=True))
        batch.add_column(sa.Column("osm_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("city_field", sa.String(200), nullable=True))
        batch.add_column(sa.Column("base_city_value", sa.Text(), nullable=True))
        batch.add_column(sa.Column("base_osm_value", sa.Text(), nullable=True))
        batch.add_column(sa.Column("distance_m", sa.Float(), nullable=True))
        batch.add_column(sa.Column("notes", sa.JSON(), nullable=True))
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("diff_id", sa.String(64), nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("difference_row_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.Column("seen_city_value", sa.Text(), nullable=True),
        sa.Column("seen_osm_value", sa.Text(), nullable=True),
        sa.Column("seen_osm_version", sa.Integer(), nullable=True),
        sa.Column("match_verdict", sa.String(16), nullable=True),
        sa.Column("push_ref", sa.String(200), nullable=False),
        sa.Column("decided_run_id", sa.Integer(), nullable=True),
        sa.Column("previous", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["difference_row_id"], ["differences.id"],
                                name="review_items_difference_row_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="review_items_pkey"),
        sa.UniqueConstraint("diff_id", name="review_items_diff_id_key"),
    )
    op.create_index("ix_review_items_difference_row_id", "review_items", ["difference_row_id"])
    op.create_index("ix_review_items_dataset_slot", "review_items", ["dataset", "slot"])
    op.create_index("ix_review_items_dataset_state", "review_items", ["dataset", "state"])
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("diff_id", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("old_state", sa.String(16), nullable=True),
        sa.Column("new_state", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("city_value", sa.Text(), nullable=True),
        sa.Column("osm_value", sa.Text(), nullable=True),
        sa.Column("old_city_value", sa.Text(), nullable=True),
        sa.Column("old_osm_value", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="review_events_pkey"),
    )
    op.create_index("ix_review_events_item", "review_events", ["diff_id"])
    op.create_index("ix_review_events_dataset", "review_events", ["dataset"])
    for statement in _TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("review_events")  # its triggers go with it
    op.drop_table("review_items")
    with op.batch_alter_table("differences") as batch:
        for column in ("notes", "distance_m", "base_osm_value", "base_city_value", "city_field", "osm_version",
                       "name", "category", "lat", "lon"):
            batch.drop_column(column)
