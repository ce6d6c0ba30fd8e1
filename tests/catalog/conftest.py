"""One catalog built from the shipped data per test session (shared by tests/catalog)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smartpick.catalog.build import build_catalog
from smartpick.catalog.store import Catalog


def shipped_catalog_path(factory: pytest.TempPathFactory) -> Path:
    """Path of the session's catalog, built on first use."""
    path = factory.getbasetemp() / "shipped" / "catalog.sqlite"
    if not path.exists():
        build_catalog(path)
    return path


@pytest.fixture(scope="session")
def catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shipped_catalog_path(tmp_path_factory)


@pytest.fixture(scope="session")
def catalog(catalog_path: Path) -> Iterator[Catalog]:
    cat = Catalog.open(catalog_path, build_if_missing=False)
    yield cat
    cat.close()
