"""Shared test fixtures: the session never touches the user's own catalog or user store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from smartpick.config import DB_ENV
from smartpick.secret import SECRET_ENV
from smartpick.store import STORE_ENV
from smartpick.web.settings import ALLOWED_HOSTS_ENV

#: Property tests judge results, not speed: no per-example deadline (this 2-core machine and CI
#: are shared and noisy; speed is measured in ``benchmarks/``).
settings.register_profile("smartpick", deadline=None)
settings.load_profile("smartpick")

#: The test session's environment: its own catalog, a fixed CSRF secret (no secret file is
#: written into the user's data folder) and TestClient's host among the trusted hosts.
_TEST_ENV = {
    SECRET_ENV: "test-secret-" + "x" * 40,
    ALLOWED_HOSTS_ENV: "testserver,127.0.0.1,localhost",
}


@pytest.fixture(scope="session", autouse=True)
def _isolated_default_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point $SMARTPICK_DB at a session folder and unset $SMARTPICK_DATABASE_URL, so no test
    reads or writes the user's catalog or store (the default store sits beside the catalog);
    a fixed CSRF secret and TestClient's host among the trusted hosts."""
    env = {**_TEST_ENV, DB_ENV: str(tmp_path_factory.mktemp("default-db") / "catalog.sqlite")}
    old = {k: os.environ.get(k) for k in env}
    old_store = os.environ.pop(STORE_ENV, None)
    os.environ.update(env)
    yield
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if old_store is not None:
        os.environ[STORE_ENV] = old_store


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog built once per session from the shipped data (treat it as read-only)."""
    from smartpick.catalog.build import build_catalog

    path = tmp_path_factory.mktemp("shipped-db") / "catalog.sqlite"
    build_catalog(path)
    return path
