"""Property-based fuzz of the API and the form posts: no input may produce a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.profile import Profile

from . import fakes
from .conftest import csrf

FIELDS = list(Profile.model_fields)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),  # JSON has no NaN,
    st.text(max_size=30),
    st.sampled_from(
        ["IM", "140", "Family Medicine", "pass", "fail", "j1", "Midwest", "OH", "<script>"]
    ),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(st.text(max_size=5), scalars, max_size=2),
)
profiles = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), values, max_size=8
)
bodies = st.one_of(profiles, values)
param_names = st.sampled_from(
    [
        "specialty",
        "track",
        "state",
        "region",
        "setting",
        "min_img_share",
        "visa_j1",
        "visa_h1b",
        "accepting",
        "text",
        "sort",
        "descending",
        "limit",
        "offset",
        "exclude",
        "include",
    ]
)
params = st.lists(st.tuples(param_names, st.text(max_size=12)), max_size=6)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(fakes.make_app(), raise_server_exceptions=False) as c:
        yield c


@FUZZ
@given(body=bodies, query=params)
def test_api_plan_never_5xx(
    fuzz_client: TestClient, body: Any, query: list[tuple[str, str]]
) -> None:
    resp = fuzz_client.post("/api/plan", json=body, params=query)
    assert resp.status_code < 500, resp.text
    if resp.status_code >= 400:
        assert resp.json()["field"], resp.text


@FUZZ
@given(query=params)
def test_api_programs_never_5xx(fuzz_client: TestClient, query: list[tuple[str, str]]) -> None:
    resp = fuzz_client.get("/api/programs", params=query)
    assert resp.status_code < 500, resp.text
    page = fuzz_client.get("/programs", params=query)
    assert page.status_code < 500


@FUZZ
@given(
    form=st.dictionaries(
        st.one_of(
            st.sampled_from(
                [*FIELDS, "profile_json", "remove", "restore", "add_codes", "exclude_codes"]
            ),
            st.text(max_size=6),
        ),
        st.text(max_size=20),
        max_size=10,
    )
)
def test_form_posts_never_5xx(fuzz_client: TestClient, form: dict[str, str]) -> None:
    token = csrf(fuzz_client)
    for path in ("/plan", "/export.csv", "/save", "/edit"):
        resp = fuzz_client.post(path, data={**form, "csrf_token": token})
        assert resp.status_code < 500, (path, resp.text[:500])


@FUZZ
@given(code=st.text(max_size=30))
def test_path_parameters_never_5xx(fuzz_client: TestClient, code: str) -> None:
    for path in (f"/programs/{code}", f"/saved/{code}", f"/saved/{code}/plan.csv"):
        resp = fuzz_client.get(quote(path))
        assert resp.status_code < 500, path
