"""The producers' rows of the store: what each producer brought to each run, and its freshness since."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from osmbridge.model import DatasetResult, Producer, ProducerStats
from osmbridge.store.tables import DatasetRunRow, ProducerRunRow


@dataclass(frozen=True, slots=True)
class ProducerRecord:
    """One producer of a dataset as its latest good run saw it, with its earlier runs."""

    producer: Producer
    stats: ProducerStats
    run_id: int
    started_at: str
    # Earlier good runs and this one, oldest first: (run id, started_at, records, share agreed with OSM).
    history: tuple[tuple[int, str, int, float | None], ...] = ()


def producer_rows(dataset_run_id: int, result: DatasetResult) -> list[dict[str, Any]]:
    """Return the producer_runs rows of one dataset run."""
    about = {producer.name: producer for producer in result.producers}
    rows = []
    for stats in result.producer_stats:
        producer = about.get(stats.producer) or Producer(name=stats.producer, title=stats.producer, owner="")
        rows.append(dict(dataset_run_id=dataset_run_id, dataset=result.dataset, producer=stats.producer,
                         title=producer.title, owner=producer.owner, contact=producer.contact,
                         licence=producer.licence, trust=producer.trust, records=stats.records,
                         matched=stats.matched, linked=stats.linked, fields_compared=stats.fields_compared,
                         fields_agreed=stats.fields_agreed, routed=stats.routed, disagreements=stats.disagreements,
                         digest=stats.digest, data_date=stats.data_date, last_change=stats.last_change))
    return rows


def producer_history(engine: Engine, dataset: str) -> dict[str, list[tuple[str, str]]]:
    """Return, per producer of a dataset, its good runs' (started_at, digest), oldest first."""
    found: dict[str, list[tuple[str, str]]] = {}
    with Session(engine) as session:
        for producer, started_at, digest in session.execute(_runs(dataset).with_only_columns(
                ProducerRunRow.producer, DatasetRunRow.started_at, ProducerRunRow.digest)):
            found.setdefault(producer, []).append((started_at, digest))
    return found


def producer_freshness(engine: Engine, dataset: str) -> list[ProducerRecord]:
    """Return each producer of a dataset as its latest good run saw it (most trusted first), with its history."""
    with Session(engine) as session:
        rows = session.execute(_runs(dataset).with_only_columns(ProducerRunRow, DatasetRunRow.run_id,
                                                                DatasetRunRow.started_at)).all()
    latest_run = max((run_id for _, run_id, _ in rows), default=None)
    history: dict[str, list[tuple[int, str, int, float | None]]] = {}
    for row, run_id, started_at in rows:
        share = row.fields_agreed / row.fields_compared if row.fields_compared else None
        history.setdefault(row.producer, []).append((run_id, started_at, row.records, share))
    records = [ProducerRecord(producer=_producer(row), stats=_stats(row), run_id=run_id, started_at=started_at,
                              history=tuple(history[row.producer]))
               for row, run_id, started_at in rows if run_id == latest_run]
    return sorted(records, key=lambda r: (-r.producer.trust, r.producer.name))


def _runs(dataset: str) -> Any:
    return (select(ProducerRunRow).join(DatasetRunRow, DatasetRunRow.id == ProducerRunRow.dataset_run_id)
            .where(ProducerRunRow.dataset == dataset, DatasetRunRow.status == "ok")
            .order_by(DatasetRunRow.id, ProducerRunRow.id))


def _producer(row: ProducerRunRow) -> Producer:
    return Producer(name=row.producer, title=row.title or row.producer, owner=row.owner, contact=row.contact,
                    licence=row.licence, trust=row.trust)


def _stats(row: ProducerRunRow) -> ProducerStats:
    return ProducerStats(producer=row.producer, records=row.records, matched=row.matched, linked=row.linked,
                         fields_compared=row.fields_compared, fields_agreed=row.fields_agreed, routed=row.routed,
                         disagreements=row.disagreements, digest=row.digest, data_date=row.data_date,
                         last_change=row.last_change)

