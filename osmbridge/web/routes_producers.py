"""Datasets with several producers: each producer's counts and data freshness, and the items waiting for it.

The page (`/d/<dataset>/producers`) and its JSON (`/api/datasets/<dataset>/producers`) read the
dataset's latest good run from the store (`Store.producer_freshness`) and lay it out with the
report's `freshness_rows`, so the page and report.html say the same.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from osmbridge.model import Producer
from osmbridge.report.producers import freshness_rows
from osmbridge.web.context import web
from osmbridge.web.guard import Reader
from osmbridge.web.problems import Problem
from osmbridge.web.queues import QUEUES, WAITING, queue_filter
from osmbridge.web.render import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["review"])


def producer_overview(request: Request, dataset: str) -> list[dict[str, Any]]:
    """Return one row per producer of a dataset: who it is, its latest counts and freshness, its waiting items.

    A producer configured but not in a stored run yet shows with empty counts.
    """
    context = web(request)
    if dataset not in context.config.datasets:
        raise Problem(404, "error.404", f"no dataset {dataset!r}")
    configured = [p.producer for p in context.config.datasets[dataset].producers]
    stored = context.store.producer_freshness(dataset)
    known = {record.producer.name: record for record in stored}
    # The configuration says who they are now; the store what the latest run saw.
    producers: list[Producer] = configured + [r.producer for r in stored if r.producer.name not in
                                              {p.name for p in configured}]
    rows = freshness_rows(producers, [record.stats for record in stored])
    for row in rows:
        record = known.get(row["name"])
        row["run_id"] = record.run_id if record else None
        row["history"] = [{"run_id": run_id, "started_at": started_at, "records": records,
                           "share_agreed": None if share is None else round(100 * share)}
                          for run_id, started_at, records, share in (record.history if record else ())]
        row["waiting"] = {queue: context.store.count_review_items(
            replace(queue_filter(dataset, queue), states=WAITING, producer=row["name"])) for queue in QUEUES}
    return rows


@router.get("/d/{dataset}/producers")
def producers_page(request: Request, dataset: str, session: Reader) -> Response:
    rows = producer_overview(request, dataset)
    config = web(request).config.datasets[dataset]
    return render(request, "producers.html.j2", dataset=config, dataset_name=dataset, rows=rows, queues=QUEUES)


@api.get("/datasets/{dataset}/producers", summary="Each producer's counts, data freshness and waiting items")
def producers_json(request: Request, dataset: str, session: Reader) -> list[dict[str, Any]]:
    return producer_overview(request, dataset)
