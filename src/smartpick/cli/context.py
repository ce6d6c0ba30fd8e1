"""State shared by all commands (global options), and the objects commands make from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartpick.planner import Planner
    from smartpick.store import UserStore

__all__ = ["State"]


@dataclass
class State:
    """Global options given before the command."""

    db: str | None = None
    store: str | None = None

    def open_store(self) -> UserStore:
        """The user store (``--store``, ``$SMARTPICK_DATABASE_URL`` or beside the catalog);
        an old catalog's plans and facts move into it on first start."""
        from smartpick.store import open_store

        return open_store(self.store, db=self.db)

    def planner(self) -> Planner:
        """A planner over the catalog with the user store's facts (close it when done)."""
        from smartpick.planner import Planner

        return Planner(self.db, self.open_store(), own_store=True)
