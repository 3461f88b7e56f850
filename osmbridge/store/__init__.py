"""State: runs, snapshots, the three-way diff base, differences and decisions (SQLAlchemy 2)."""

from osmbridge.errors import StoreError
from osmbridge.store.history import DatasetRunRecord, RunRecord, StepRecord
from osmbridge.store.locks import LockHolder, Owner
from osmbridge.store.store import Fingerprints, Store

__all__ = ["DatasetRunRecord", "Fingerprints", "LockHolder", "Owner", "RunRecord", "StepRecord", "Store",
           "StoreError"]
