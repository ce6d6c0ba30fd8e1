"""Where SmartPick keeps its files (the catalog database)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["DB_ENV", "default_db_path", "resolve_db_path"]

#: Environment variable that places the catalog database elsewhere.
DB_ENV = "SMARTPICK_DB"


def default_db_path() -> Path:
    """The per-user default: ``<user data dir>/smartpick/catalog.sqlite``."""
    return Path(user_data_dir("smartpick", appauthor=False)) / "catalog.sqlite"


def resolve_db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$SMARTPICK_DB``, else the per-user default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()
