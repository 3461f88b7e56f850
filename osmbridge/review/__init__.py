"""Review: what people decide about each difference, and the rules those decisions follow.

A review item is one difference of a dataset (one field of one place, or a place-level
difference), kept across runs by the stable difference id, with a state: open, accepted,
edited, rejected, deferred, needs_survey, stale, match_decided, pushed, resolved (see
`model.ReviewState`). This package is pure (no database, clock or network):

- `actions`: what a reviewer can do (Accept, Edit, Reject, Defer, Survey, Reopen; Same, NotSame,
  NoCounterpart, Choose for the matcher's sticky decisions);
- `directions`: which way a difference may be decided and what value travels (the web app's
  role check uses `allowed_directions` / `decision_side`);
- `transitions`: the state machine (`apply_action`, `mark_pushed`, `mark_stale`);
- `refresh`: what a new run does to the items (new ones open, vanished ones resolved, decided
  ones whose values changed come back stale with the old decision);
- `items`: ReviewItem, AuditEntry and ItemFilter, as the store returns and takes them.

The store (`osmbridge.store.Store`, its `ReviewStore` half) persists items and the append-only
audit log and runs each operation in one transaction.
"""

from osmbridge.review.actions import (ACTION_NAMES, Accept, Choose, Defer, Edit, MatchAction, NoCounterpart,
                                      NotSame, Reject, Reopen, ReviewAction, Same, Survey, ValueAction)
from osmbridge.review.directions import (EDITABLE, MATCH_ONLY, action_direction, allowed_directions, decision_side,
                                         proposed_direction, proposed_value)
from osmbridge.review.errors import (InvalidDecision, InvalidTransition, ItemNotFound, ReviewError,
                                     RevisionConflict)
from osmbridge.review.items import (DECIDED_STATES, PUSHABLE_STATES, REVIEW_STATES, WAITING_STATES, AuditEntry,
                                    ItemFilter, ReviewItem)
from osmbridge.review.refresh import plan_refresh, slot_key
from osmbridge.review.transitions import SYSTEM_AUTHOR, apply_action, candidates, mark_pushed, mark_stale

__all__ = [
    "ACTION_NAMES", "DECIDED_STATES", "EDITABLE", "MATCH_ONLY", "PUSHABLE_STATES", "REVIEW_STATES", "SYSTEM_AUTHOR",
    "WAITING_STATES", "Accept", "AuditEntry", "Choose", "Defer", "Edit", "InvalidDecision", "InvalidTransition",
    "ItemFilter", "ItemNotFound", "MatchAction", "NoCounterpart", "NotSame", "Reject", "Reopen", "ReviewAction",
    "ReviewError", "ReviewItem", "RevisionConflict", "Same", "Survey", "ValueAction", "action_direction",
    "allowed_directions", "apply_action", "candidates", "decision_side", "mark_pushed", "mark_stale", "plan_refresh",
    "proposed_direction", "proposed_value", "slot_key",
]
