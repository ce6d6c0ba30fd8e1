"""Fuzz of every API and form route with the REAL planner and catalog: no input gives a 5xx.

Issue 9: bounded (about 10 s); tells the cases tried in the test's `--hypothesis-show-statistics`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import page_token
from .strategies import CODES, FIELDS, bodies, examples, hostile_text, raw_json, to_json, url_text

FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON = {"content-type": "application/json"}
codes = st.lists(st.sampled_from(CODES) | url_text, max_size=3)


def _ok(resp: Any, where: object) -> None:
    assert resp.status_code < 500, (where, resp.status_code, resp.text[:500])
    if resp.status_code >= 400 and resp.headers.get("content-type") == "application/json":
        assert resp.json()["field"], (where, resp.text[:500])


@FUZZ
@given(body=raw_json, exclude=codes, include=codes, advice=st.sampled_from(["false", "true", "x"]))
def test_api_plan(
    real_client: TestClient, body: str, exclude: list[str], include: list[str], advice: str
) -> None:
    params: list[tuple[str, str]] = [("advice", advice)]
    params += [("exclude", c) for c in exclude] + [("include", c) for c in include]
    resp = real_client.post(
        "/api/plan",
        content=body.encode("utf-8", "surrogatepass"),
        params=params,
        headers=JSON,
    )
    _ok(resp, body[:200])


@FUZZ
@given(
    query=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    *("specialty", "track", "state", "region", "setting", "min_img_share"),
                    *("text", "visa_j1", "accepting", "sort", "descending", "limit", "offset"),
                ]
            ),
            url_text,
        ),
        max_size=5,
    )
)
def test_programs_api_and_page(real_client: TestClient, query: list[tuple[str, str]]) -> None:
    _ok(real_client.get("/api/programs", params=query), query)
    assert real_client.get("/programs", params=query).status_code < 500


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from([*FIELDS, "remove", "restore", "add_codes", "exclude_codes", "x"]),
        hostile_text,
        max_size=8,
    ),
    profile=st.none() | bodies.map(to_json) | raw_json,
    path=st.sampled_from(["/plan", "/export.csv", "/export.json", "/save", "/edit"]),
)
def test_form_routes(
    real_client: TestClient, form: dict[str, str], profile: str | None, path: str
) -> None:
    data = {k: v.encode("utf-8", "surrogatepass") for k, v in form.items()}
    if profile is not None:
        data["profile_json"] = profile.encode("utf-8", "surrogatepass")
    resp = real_client.post(path, data={**data, "csrf_token": page_token(real_client)})
    assert resp.status_code < 500, (path, resp.text[:500])


@FUZZ
@given(code=hostile_text)
def test_path_parameters(real_client: TestClient, code: str) -> None:
    safe = quote(code.encode("utf-8", "surrogatepass"), safe="")
    for path in (f"/programs/{safe}", f"/saved/{safe}", f"/saved/{safe}/plan.json"):
        assert real_client.get(path).status_code < 500, path
    token = page_token(real_client)
    resp = real_client.post(f"/saved/{safe}/delete", data={"csrf_token": token})
    assert resp.status_code < 500
