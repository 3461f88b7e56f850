"""The database itself refuses to change or delete audit entries (SQLite and PostgreSQL triggers).

The store never updates `review_events`; these triggers make that true for anyone else with the
database too (a script, a console). They are created with the table.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from osmbridge.store.tables import ReviewEventRow

_MESSAGE = "review_events is an append-only audit log"

_SQLITE = [
    DDL(f"CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"),
    DDL(f"CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"),
]
_POSTGRESQL = [
    DDL("CREATE OR REPLACE FUNCTION osmbridge_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$body$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $body$"),
    DDL("CREATE TRIGGER review_events_no_change BEFORE UPDATE OR DELETE ON review_events "
        "FOR EACH ROW EXECUTE FUNCTION osmbridge_append_only()"),
    DDL("CREATE TRIGGER review_events_no_truncate BEFORE TRUNCATE ON review_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION osmbridge_append_only()"),
]

for _ddl in _SQLITE:
    event.listen(ReviewEventRow.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
for _ddl in _POSTGRESQL:
    event.listen(ReviewEventRow.__table__, "after_create", _ddl.execute_if(dialect="postgresql"))
