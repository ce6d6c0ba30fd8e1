"""Crash-test fixtures: a catalog copy and a user store per test (SQLite file or PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..store.conftest import pg_url  # noqa: F401  (the PostgreSQL schema fixture)


@pytest.fixture
def catalog(tmp_path: Path, shipped_db: Path) -> Path:
    """A private copy of the session catalog."""
    path = tmp_path / "catalog.sqlite"
    shutil.copy(shipped_db, path)
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "user.sqlite")
    url: str = request.getfixturevalue("pg_url")
    return url
