"""Reading a dataset from an Opendatasoft portal through the Explore API v2.1.

Records are paged with `limit`/`offset` on `.../records`, which answers at most 10,000 records
(offset + limit <= 10,000). When the first page says the dataset (after `where`) holds more, the
whole dataset is fetched in one request from `.../exports/json`, which has no such cap and returns
the same record objects, so both paths give identical records.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from osmbridge import __version__
from osmbridge.errors import SourceError
from osmbridge.model import SourceSpec
from osmbridge.sources.json_reader import json_records
from osmbridge.sources.records import RawSource, columns_of

API_PATH = "/api/explore/v2.1/catalog/datasets/"
MAX_WINDOW = 10_000  # records reachable through offset paging
MAX_LIMIT = 100  # records per page the API accepts
USER_AGENT = f"osmbridge/{__version__} (city open data and OpenStreetMap sync)"


def read_opendatasoft(spec: SourceSpec) -> RawSource:
    """Return every record of `spec.dataset_id` on the portal at `spec.location` (filtered by `spec.where`)."""
    if not spec.dataset_id:
        raise SourceError(f"{spec.location}: an opendatasoft source needs dataset_id in the source spec.")
    dataset_url = portal_base(spec.location) + API_PATH + quote(spec.dataset_id, safe="")
    records_url = f"{dataset_url}/records"
    with _session() as session:
        items, total = _page_records(session, records_url, spec)
        if total > MAX_WINDOW:
            export_url = f"{dataset_url}/exports/json"
            params = {"where": spec.where} if spec.where else {}
            items = _expect_list(_get_json(session, export_url, params, spec), export_url, params)
            records_url = export_url
    if len(items) != total:
        raise SourceError(f"{records_url}: the portal announced {total} records but sent {len(items)}; the "
                          "dataset probably changed while being read. Run again.")
    records = json_records(items, records_url)
    return RawSource(records_url, columns_of(records), records)


def portal_base(location: str) -> str:
    """Return the portal's root URL, also when `location` was pasted with an /api/... path."""
    base = location.strip().rstrip("/")
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
            raise SourceError(f"{_full(url, params)}: the answer has no total_count and results; is this an "
                              "Opendatasoft Explore v2.1 portal?")
        total = page["total_count"]
        if total > MAX_WINDOW or not page["results"]:
            break
        items.extend(page["results"])
    return items, total or 0


def _session() -> requests.Session:
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    # Portals answer 429 under load and 502-504 behind their proxies: worth a few polite retries.
    # Timeouts and refused connections are retried once only: they tend to last.
    retry = Retry(total=3, connect=1, read=1, backoff_factor=1.0, status_forcelist=(429, 502, 503, 504),
                  allowed_methods={"GET"}, raise_on_status=False, respect_retry_after_header=True)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def _get_json(session: requests.Session, url: str, params: dict[str, Any], spec: SourceSpec) -> Any:
    """GET `url` and return its JSON; SourceError naming the URL and status for anything else."""
    full = _full(url, params)
    try:
        response = session.get(url, params=params, timeout=spec.timeout_s)
    except (requests.Timeout, requests.ConnectionError) as error:
        if isinstance(error, requests.Timeout) or _timed_out(error):
            raise SourceError(f"{full}: no answer within {spec.timeout_s:g} s. The portal may be slow or down; "
                              "retry later or raise timeout_s in the source spec.") from None
        raise SourceError(f"{full}: cannot connect ({_reason(error)}). Check the portal address and the "
                          "network.") from None
    if response.status_code != 200:
        raise SourceError(f"{full}: HTTP {response.status_code} {response.reason}{_portal_message(response)}. "
                          f"{_advice(response.status_code, spec)}")
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise SourceError(f"{full}: HTTP {response.status_code} but the answer is not JSON ({kind}). Check that "
                          "location is the address of an Opendatasoft portal.") from None


def _expect_list(data: Any, url: str, params: dict[str, Any]) -> list[Any]:
    if not isinstance(data, list):
        raise SourceError(f"{_full(url, params)}: the JSON export is not a list of records.")
    return data


def _portal_message(response: requests.Response) -> str:
    """The portal's own explanation ({"error_code", "message"}), when it gave one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict) and body.get("message"):
        code = f"{body['error_code']}: " if body.get("error_code") else ""
        return f" ({code}{body['message']})"
    return ""


def _advice(status: int, spec: SourceSpec) -> str:
    if status == 404:
        return f"Check dataset_id {spec.dataset_id!r} and the portal address (the dataset may be private)."
    if status in (401, 403):
        return "The dataset is not public on this portal; ask its owner to publish it."
    if status == 400:
        return "The portal refused the query: check the where filter of the source spec."
    if status >= 500:
        return "The portal failed; retry later."
    return "Check the source spec."


def _timed_out(error: requests.RequestException) -> bool:
    """Read timeouts that exhausted the retries come back as a ConnectionError wrapping the timeout."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, ReadTimeoutError)


def _reason(error: requests.RequestException) -> str:
    text = str(error.args[0] if error.args else error)
    return text.rsplit(": ", 1)[-1].rstrip(")'\"") or "connection refused"


def _full(url: str, params: dict[str, Any]) -> str:
    return f"{url}?{urlencode(params)}" if params else url
