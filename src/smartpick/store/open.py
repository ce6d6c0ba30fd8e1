"""Choose and open the user store: ``--store`` / ``$SMARTPICK_DATABASE_URL`` / beside the catalog.

A value starting with ``postgresql://`` or ``postgres://`` selects PostgreSQL; ``sqlite:///path``
or a plain path selects an SQLite file; ``:memory:`` a private in-memory store. Without either,
the store is ``user.sqlite`` in the catalog's folder (the per-user data folder by default).
"""

from __future__ import annotations

import os

from smartpick.config import resolve_db_path

from .base import UserStore
from .legacy import adopt_legacy
from .sql import SqlStore

__all__ = ["STORE_ENV", "STORE_FILE", "open_store", "resolve_store"]

#: Environment variable that selects the user store (a PostgreSQL URL or an SQLite path).
STORE_ENV = "SMARTPICK_DATABASE_URL"
#: The SQLite store's file name, beside the catalog.
STORE_FILE = "user.sqlite"


def resolve_store(
    target: str | os.PathLike[str] | None = None, *, db: str | os.PathLike[str] | None = None
) -> str:
    """The store to use: ``target``, else ``$SMARTPICK_DATABASE_URL``, else beside the catalog."""
    if target:
        return str(target)
    env = os.environ.get(STORE_ENV)
    if env:
        return env
    if db is not None and str(db) == ":memory:":
        return ":memory:"
    return str(resolve_db_path(db).with_name(STORE_FILE))


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    db: str | os.PathLike[str] | None = None,
    adopt: bool = True,
) -> UserStore:
    """Open (creating and migrating) the user store; move an old catalog's user rows across.

    ``db`` is the catalog (as for :func:`~smartpick.config.resolve_db_path`): its folder holds
    the default store, and an old-format catalog there has its plans and facts moved in.
    """
    where = resolve_store(target, db=db)
    store: SqlStore
    if where.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        store = PostgresStore(where)
    else:
        from .sqlite import SQLiteStore

        store = SQLiteStore(where.removeprefix("sqlite:///") if where != ":memory:" else where)
    if adopt and not (db is not None and str(db) == ":memory:"):
        try:
            adopt_legacy(store, resolve_db_path(db))
        except BaseException:
            store.close()
            raise
    return store
