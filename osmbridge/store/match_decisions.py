"""Sticky match decisions inside a transaction: the fingerprints they keep, and replacing a link's verdict."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from osmbridge.model import MatchDecision
from osmbridge.errors import StoreError
from osmbridge.store.tables import CitySnapshotRow, DatasetRunRow, MatchDecisionRow, OsmSnapshotRow


def latest_fingerprints(session: Session, dataset: str, source_id: str,
                        osm_key: str | None) -> tuple[str, str | None]:
    """Return the fingerprints of a city record and an OSM place as the dataset's last successful run saw them.

    A decision is about what the person was shown; these let a later run tell whether either side
    has changed since (StoreError when that run did not see them).
    """
    last = session.scalars(select(DatasetRunRow.id).where(DatasetRunRow.dataset == dataset,
                                                          DatasetRunRow.status == "ok")
                           .order_by(DatasetRunRow.id.desc()).limit(1)).first()
    if last is None:
        raise StoreError(f"dataset {dataset!r} has no successful run yet: run it, then decide on its matches")
    city = session.scalars(select(CitySnapshotRow.fingerprint).where(
        CitySnapshotRow.dataset_run_id == last, CitySnapshotRow.source_id == source_id)).first()
    if city is None:
        raise StoreError(f"dataset {dataset!r}: the last run has no city record {source_id!r}")
    if osm_key is None:
        return city, None
    osm = session.scalars(select(OsmSnapshotRow.fingerprint).where(
        OsmSnapshotRow.dataset_run_id == last, OsmSnapshotRow.osm_key == osm_key)).first()
    if osm is None:
        raise StoreError(f"dataset {dataset!r}: the last run has no OSM place {osm_key!r} of the mapped types")
    return city, osm


def save_match_decision(session: Session, decision: MatchDecision) -> None:
    """Store a verdict, replacing an earlier one on the same link (never dropping others)."""
    same_link = [MatchDecisionRow.dataset == decision.dataset, MatchDecisionRow.source_id == decision.source_id]
    if decision.verdict == "no_counterpart":
        same_link.append(MatchDecisionRow.verdict == "no_counterpart")
    else:
        same_link.append(MatchDecisionRow.osm_key == decision.osm_key)
    session.execute(delete(MatchDecisionRow).where(*same_link))
    session.add(MatchDecisionRow(dataset=decision.dataset, source_id=decision.source_id, verdict=decision.verdict,
                                 osm_key=decision.osm_key, city_fingerprint=decision.city_fingerprint,
                                 osm_fingerprint=decision.osm_fingerprint, author=decision.author,
                                 decided_at=decision.decided_at))
