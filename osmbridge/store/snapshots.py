"""Read back what the last successful run of a dataset saw of the city's records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.store.tables import CitySnapshotRow, DatasetRunRow


def latest_city_fields(engine: Engine, dataset: str) -> dict[str, dict[str, Any]]:
    """Raw fields of every city record in the dataset's last successful run (source_id -> fields); {} before one."""
    with Session(engine) as session:
        last = session.scalars(select(DatasetRunRow.id).where(DatasetRunRow.dataset == dataset,
                                                              DatasetRunRow.status == "ok")
                               .order_by(DatasetRunRow.id.desc()).limit(1)).first()
        if last is None:
            return {}
        rows = session.execute(select(CitySnapshotRow.source_id, CitySnapshotRow.fields)
                               .where(CitySnapshotRow.dataset_run_id == last))
        return {source_id: dict(fields) for source_id, fields in rows}
