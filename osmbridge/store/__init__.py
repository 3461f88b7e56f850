"""State: runs, snapshots, the three-way diff base, differences and decisions (SQLAlchemy 2)."""

from osmbridge.store.store import Fingerprints, Store, StoreError

__all__ = ["Fingerprints", "Store", "StoreError"]
