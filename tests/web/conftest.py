"""Fixtures for the web tests: the app over the fake planner and an in-memory user store."""

from __future__ import annotations

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


def csrf(client: TestClient) -> str:
    """The client's CSRF token (fetching the form page sets it)."""
    if not client.cookies.get("smartpick_csrf"):
        client.get("/")
    token = client.cookies.get("smartpick_csrf")
    assert token
    return token


def post_profile(client: TestClient, **changes: Any) -> Any:
    """Submit the profile form like a browser."""
    data = {**PROFILE, **changes, "csrf_token": csrf(client)}
    return client.post("/plan", data={k: v for k, v in data.items() if v is not None})
