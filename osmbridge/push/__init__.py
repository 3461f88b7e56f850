"""Push what reviewers accepted: to OSM through the API 0.6, and back into the city's dataset.

Modules: `licence` (the gate both ways), `api` (the OSM API client), `auth` (the OAuth2 token),
`changesets` (grouping and tags), `osm_push` (journaled uploads), `city_files` / `city_database`
(the city side). Import what you need from them; this package imports nothing heavy itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osmbridge.config import Config


def push_accepted(config: Config, dataset: str) -> int:
    """Push a dataset's accepted items both ways (what a scheduled run calls); return how many went out.

    A direction that fails raises OsmbridgeError with its message, so the run records the failure.
    """
    from osmbridge.errors import OsmbridgeError
    from osmbridge.push.report import describe_summary
    from osmbridge.push.run import push_dataset

    summary = push_dataset(config, dataset)
    if not summary.ok:
        raise OsmbridgeError(describe_summary(summary).replace("\n", "; "))
    pushed = len(summary.osm.pushed) if summary.osm else 0
    written = sum(len(city.written) for city in summary.city)
    return pushed + written
