"""State: runs, snapshots, the three-way diff base, differences and decisions (SQLAlchemy 2)."""

from osmbridge.errors import StoreError
from osmbridge.store.store import Fingerprints, Store

__all__ = ["Fingerprints", "Store", "StoreError"]
