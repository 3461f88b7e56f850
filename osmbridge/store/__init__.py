"""State: runs, snapshots, the three-way diff base, differences, decisions and web accounts (SQLAlchemy 2)."""

from osmbridge.errors import StoreError
from osmbridge.store.accounts import AccountError, Accounts, User, WebSession
from osmbridge.store.history import DatasetRunRecord, RunRecord, StepRecord
from osmbridge.store.locks import LockHolder, Owner
from osmbridge.store.store import Fingerprints, Store
from osmbridge.store.survey_store import SurveyAnswerRow  # noqa: F401  (its table is part of the schema)

__all__ = ["AccountError", "Accounts", "DatasetRunRecord", "Fingerprints", "LockHolder", "Owner", "RunRecord",
           "StepRecord", "Store", "StoreError", "User", "WebSession"]
