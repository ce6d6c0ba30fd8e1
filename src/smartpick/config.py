"""Where SmartPick keeps its files (the catalog database), and the date it plans for."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["DB_ENV", "TODAY_ENV", "default_db_path", "plan_date", "resolve_db_path"]

#: Environment variable that places the catalog database elsewhere.
DB_ENV = "SMARTPICK_DB"
#: Environment variable that fixes the date plans and the tracker are made for (ISO date), for
#: demonstrations and tests (``smartpick serve --today``); unset: the computer's date.
TODAY_ENV = "SMARTPICK_TODAY"


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


def plan_date() -> dt.date:
    """``$SMARTPICK_TODAY`` if set (an ISO date; InputError naming it otherwise), else today."""
    text = os.environ.get(TODAY_ENV, "").strip()
    if not text:
        return dt.date.today()
    from smartpick.errors import InputError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"'{text[:40]}' is not a date", field=TODAY_ENV, allowed="YYYY-MM-DD"
        ) from None
