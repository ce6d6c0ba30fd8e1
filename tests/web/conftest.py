"""Fixtures for the web tests: the app over the fake planner and an in-memory user store."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette suggests a renamed httpx fork; the pinned httpx works and is what we ship.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from . import fakes

PROFILE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "step2_score": "225",
    "exam_failures": "0",
    "graduation_year": "2021",
    "usce_months": "3",
    "usce_kind": "elective",
    "us_letters": "2",
    "specialty_letters": "1",
    "research_items": "1",
    "regions": ["Midwest"],
    "exclude_states": "CA, NY",
    "settings": ["community"],
    "target_match_probability": "0.8",
}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "catalog.sqlite"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(fakes.make_app(), raise_server_exceptions=False) as c:
        yield c


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient) -> str:
    """The client's CSRF token, read from the form page (which sets the visitor cookie)."""
    found = _TOKEN.search(client.get("/").text)
    assert found and client.cookies.get("smartpick_visitor")
    return found.group(1)


def post_profile(client: TestClient, **changes: Any) -> Any:
    """Submit the profile form like a browser."""
    data = {**PROFILE, **changes, "csrf_token": csrf(client)}
    return client.post("/plan", data={k: v for k, v in data.items() if v is not None})
