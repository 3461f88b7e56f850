"""State: runs, snapshots, the three-way diff base, differences, decisions and web accounts (SQLAlchemy 2)."""

from osmbridge.errors import StoreError
from osmbridge.store.accounts import AccountError, Accounts, User, WebSession
from osmbridge.store.store import Fingerprints, Store

__all__ = ["AccountError", "Accounts", "Fingerprints", "Store", "StoreError", "User", "WebSession"]
