"""Fixtures of the robustness tests: the REAL planner over the shipped catalog (no fakes)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from fastapi import FastAPI

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app
from smartpick.web.settings import WebSettings

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def real_app_db(shipped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped catalog the web tests may save plans into."""
    path = tmp_path_factory.mktemp("robust-db") / "catalog.sqlite"
    path.write_bytes(shipped_db.read_bytes())
    return path


def real_app(db: Path, settings: WebSettings | None = None) -> FastAPI:
    """The real app over catalog ``db``: the real planner and a real (in-memory) user store."""
    store = SQLiteStore(":memory:")
    return create_app(Planner(db, store), store, settings=settings)


@pytest.fixture(scope="session")
def real_client(real_app_db: Path) -> Iterator[TestClient]:
    """A client of the real app (real service, real catalog); server exceptions become 500s."""
    with TestClient(real_app(real_app_db), raise_server_exceptions=False) as client:
        yield client


def page_token(client: TestClient) -> str:
    """The CSRF token of the client's visitor, read from the form page."""
    found = _TOKEN.search(client.get("/").text)
    assert found
    return found.group(1)
