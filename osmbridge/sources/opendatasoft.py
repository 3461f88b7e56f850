"""Reading a dataset from an Opendatasoft portal through the Explore API v2.1.

Records are paged with `limit`/`offset` on `.../records`, which answers at most 10,000 records
(offset + limit <= 10,000). When the first page says the dataset (after `where`) holds more, the
whole dataset is fetched in one request from `.../exports/json`, which has no such cap and returns
the same record objects, so both paths give identical records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.redact import redact
from osmbridge.sources.download import full_url, http_get, http_session
from osmbridge.sources.json_reader import json_records
from osmbridge.sources.records import RawSource, columns_of

if TYPE_CHECKING:
    import requests

API_PATH = "/api/explore/v2.1/catalog/datasets/"
MAX_WINDOW = 10_000  # records reachable through offset paging
MAX_LIMIT = 100  # records per page the API accepts


def read_opendatasoft(spec: SourceSpec) -> RawSource:
    """Return every record of `spec.dataset_id` on the portal at `spec.location` (filtered by `spec.where`)."""
    if not spec.dataset_id:
        raise SourceError(f"{spec.location}: an opendatasoft source needs dataset_id in the source spec.")
    dataset_url = portal_base(spec.location) + API_PATH + quote(spec.dataset_id, safe="")
    # A portal key given in the location (?apikey=...) goes with every request.
    key = "?" + spec.location.split("?", 1)[1] if "?" in spec.location else ""
    records_url = f"{dataset_url}/records{key}"
    with http_session(spec.http_cache, spec.contact) as session:
        items, total = _page_records(session, records_url, spec)
        if total > MAX_WINDOW:
            export_url = f"{dataset_url}/exports/json{key}"
            params = {"where": spec.where} if spec.where else {}
            items = _expect_list(_get_json(session, export_url, params, spec), export_url, params)
            records_url = export_url
    if len(items) != total:
        raise SourceError(f"{redact(records_url)}: the portal announced {total} records but sent {len(items)}; the "
                          "dataset probably changed while being read. Run again.")
    records = json_records(items, redact(records_url))
    return RawSource(redact(records_url), columns_of(records), records)


def portal_base(location: str) -> str:
    """Return the portal's root URL, also when `location` was pasted with an /api/... path."""
    base = location.strip().split("?", 1)[0].rstrip("/")
    if "/api/" in base + "/":
        base = base[: (base + "/").index("/api/")]
    if not base.startswith(("http://", "https://")):
        raise SourceError(f"{location!r}: an opendatasoft location must be the portal's http(s) address, "
                          "e.g. \"https://data.nantesmetropole.fr\".")
    return base


def _page_records(session: requests.Session, url: str, spec: SourceSpec) -> tuple[list[Any], int]:
    """Page through `.../records`; return the records read and the total the portal announced."""
    limit = max(1, min(spec.page_size, MAX_LIMIT))
    items: list[Any] = []
    total: int | None = None
    while total is None or len(items) < total:
        # offset + limit may not pass the window, so the last page of a 10,000-record dataset is shorter.
        params: dict[str, Any] = {"limit": min(limit, MAX_WINDOW - len(items)), "offset": len(items)}
        if spec.where:
            params["where"] = spec.where
        page = _get_json(session, url, params, spec)
        if not isinstance(page, dict) or not isinstance(page.get("total_count"), int) \
                or not isinstance(page.get("results"), list):
            raise SourceError(f"{full_url(url, params)}: the answer has no total_count and results; is this an "
                              "Opendatasoft Explore v2.1 portal?")
        total = page["total_count"]
        if total > MAX_WINDOW or not page["results"]:
            break
        items.extend(page["results"])
    return items, total or 0


def _get_json(session: requests.Session, url: str, params: dict[str, Any], spec: SourceSpec) -> Any:
    """GET `url` and return its JSON; SourceError naming the URL and status for anything else."""
    advice = {404: f"Check dataset_id {spec.dataset_id!r} and the portal address (the dataset may be private).",
              400: "The portal refused the query: check the where filter of the source spec."}
    response = http_get(session, url, params, spec.timeout_s, advice)
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise SourceError(f"{full_url(url, params)}: HTTP {response.status_code} but the answer is not JSON "
                          f"({kind}). Check that location is the address of an Opendatasoft portal.") from None


def _expect_list(data: Any, url: str, params: dict[str, Any]) -> list[Any]:
    if not isinstance(data, list):
        raise SourceError(f"{full_url(url, params)}: the JSON export is not a list of records.")
    return data
