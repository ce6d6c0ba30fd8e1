"""Shared test fixtures: the session never touches the user's own catalog or user store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartpick.config import DB_ENV
from smartpick.store import STORE_ENV


@pytest.fixture(scope="session", autouse=True)
def _isolated_default_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point $SMARTPICK_DB at a session folder and unset $SMARTPICK_DATABASE_URL, so no test
    reads or writes the user's catalog or store (the default store sits beside the catalog)."""
    old = os.environ.get(DB_ENV)
    old_store = os.environ.pop(STORE_ENV, None)
    os.environ[DB_ENV] = str(tmp_path_factory.mktemp("default-db") / "catalog.sqlite")
    yield
    if old is None:
        os.environ.pop(DB_ENV, None)
    else:
        os.environ[DB_ENV] = old
    if old_store is not None:
        os.environ[STORE_ENV] = old_store


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog built once per session from the shipped data (treat it as read-only)."""
    from smartpick.catalog.build import build_catalog

    path = tmp_path_factory.mktemp("shipped-db") / "catalog.sqlite"
    build_catalog(path)
    return path
