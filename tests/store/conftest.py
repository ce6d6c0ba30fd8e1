"""User-store fixtures: every contract test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from ``$SMARTPICK_TEST_DATABASE_URL`` (``.ci/run`` starts a server and sets
it). Without it the PostgreSQL cases skip locally and fail in CI. Each test gets a schema of
its own (dropped afterwards), selected through the URL's ``search_path`` option.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartpick.store import SQLiteStore, UserStore

PG_ENV = "SMARTPICK_TEST_DATABASE_URL"


def _base_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must set ${PG_ENV} (.ci/run starts a PostgreSQL server)")
        pytest.skip(f"${PG_ENV} is not set: the PostgreSQL store tests run in CI")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema of this test's own."""
    import psycopg

    base = _base_url()
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


StoreFactory = Callable[[], UserStore]


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: an SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "user.sqlite")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def make_store(backend: str) -> Iterator[StoreFactory]:
    """Open (another connection to) the test's store; all are closed at the end."""
    from smartpick.store import open_store

    opened: list[UserStore] = []

    def make() -> UserStore:
        store = open_store(backend, adopt=False)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: StoreFactory) -> UserStore:
    return make_store()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "user.sqlite")
    yield s
    s.close()
