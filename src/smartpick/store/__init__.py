"""The user store: what a user made (saved plans, their own program facts), kept apart from the
rebuildable catalog, durable, migrated, never rebuilt and never silently replaced.

>>> store = open_store(":memory:")
>>> plan_id, token = store.save_plan({"plan": 1})
>>> store.get_plan(plan_id).payload
{'plan': 1}
>>> store.delete_plan(plan_id, "wrong"), store.delete_plan(plan_id, token)
('forbidden', 'deleted')
"""

from __future__ import annotations

from .base import DeleteResult, SavedPlan, UserFact, UserStore
from .legacy import adopt_legacy
from .open import STORE_ENV, open_store, resolve_store
from .sqlite import SQLiteStore

__all__ = [
    "STORE_ENV",
    "DeleteResult",
    "SQLiteStore",
    "SavedPlan",
    "UserFact",
    "UserStore",
    "adopt_legacy",
    "open_store",
    "resolve_store",
]
