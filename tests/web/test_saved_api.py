"""Saved plans over JSON (``/api/plans``): save, open, delete; the pages share the store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartpick.contract import PlanResult
from smartpick.store import STORE_ENV
from smartpick.web import create_app

from .conftest import csrf

BODY: dict[str, Any] = {
    "profile": {"specialty": "Internal Medicine", "step2_score": 225, "us_letters": 2},
    "exclude": [],
    "include": [],
}


def save(client: TestClient, body: dict[str, Any] | None = None) -> Any:
    return client.post("/api/plans", json=body if body is not None else BODY)


def test_save_get_delete(client: TestClient) -> None:
    resp = save(client)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert set(out) >= {"id", "link", "delete_token", "plan", "created", "profile"}
    assert out["link"].endswith(f"/saved/{out['id']}")
    PlanResult.model_validate(out["plan"])
    got = client.get(f"/api/plans/{out['id']}")
    assert got.status_code == 200
    assert got.json()["plan"] == out["plan"] and "delete_token" not in got.json()
    assert got.json()["profile"]["step2_score"] == 225
    page = client.get(f"/saved/{out['id']}")  # the link opens the saved page
    assert page.status_code == 200 and "Internal Medicine" in page.text
    url = f"/api/plans/{out['id']}"
    wrong = client.delete(url, headers={"X-Plan-Token": "nope"})
    assert wrong.status_code == 403 and wrong.json()["field"] is None
    assert "X-Plan-Token" in wrong.json()["error"]
    assert client.delete(url).status_code == 422  # the header is required
    unknown = client.delete("/api/plans/" + "x" * 22, headers={"X-Plan-Token": "t"})
    assert unknown.status_code == 404
    done = client.delete(url, headers={"X-Plan-Token": out["delete_token"]})
    assert done.status_code == 204 and done.content == b""
    assert client.get(url).status_code == 404
    assert client.delete(url, headers={"X-Plan-Token": out["delete_token"]}).status_code == 404


def test_exclude_and_include_are_applied_and_kept(client: TestClient) -> None:
    first = save(client).json()
    drop = first["plan"]["programs"][0]["program_code"]
    out = save(client, {**BODY, "exclude": [drop.lower()]}).json()
    assert out["exclude"] == [drop]
    assert drop not in {p["program_code"] for p in out["plan"]["programs"]}


def test_bad_bodies_are_4xx_naming_the_field(client: TestClient) -> None:
    assert (
        client.post("/api/plans", content=b"{}", headers={"content-type": "text/plain"}).status_code
        == 415
    )
    bad = save(client, {**BODY, "profile": {"specialty": "Basket Weaving"}})
    assert bad.status_code == 422 and bad.json()["field"].startswith("profile")
    extra = save(client, {**BODY, "colour": "red"})
    assert extra.status_code == 422 and extra.json()["field"] == "colour"
    code = save(client, {**BODY, "exclude": ["<script>"]})
    assert code.status_code == 422 and code.json()["field"].startswith("exclude")
    assert client.get("/api/plans/short").status_code == 422
    assert client.app.state.store.plan_count() == 0  # type: ignore[attr-defined]


def test_a_plan_saved_on_the_page_opens_in_the_api(client: TestClient) -> None:
    from .conftest import PROFILE

    saved = client.post("/save", data={**PROFILE, "csrf_token": csrf(client)})
    assert saved.status_code == 201
    link = re.search(r'class="saved-link">([^<]+)<', saved.text)
    assert link
    plan_id = link.group(1).rstrip("/").rsplit("/", 1)[-1]
    got = client.get(f"/api/plans/{plan_id}")
    assert got.status_code == 200 and got.json()["profile"]["specialty"] == "Internal Medicine"


def test_openapi_documents_the_saved_plan_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths["/api/plans"]) == {"post"}
    assert set(paths["/api/plans/{plan_id}"]) == {"get", "delete"}
    assert "201" in paths["/api/plans"]["post"]["responses"]
    delete = paths["/api/plans/{plan_id}"]["delete"]
    assert {"204", "403", "404"} <= set(delete["responses"])
    assert any(p["name"] == "X-Plan-Token" and p["in"] == "header" for p in delete["parameters"])


def test_create_app_opens_and_closes_its_own_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``create_app()`` with no arguments (each ``serve --workers`` worker): the store comes from
    ``$SMARTPICK_DATABASE_URL``, and the app closes what it opened at shutdown."""
    monkeypatch.setenv(STORE_ENV, f"{tmp_path}/env.sqlite")
    app = create_app()
    with TestClient(app) as c:
        assert app.state.store.location == f"{tmp_path}/env.sqlite"
        assert app.state.planner.store is app.state.store
        assert c.get(f"/api/plans/{'x' * 22}").status_code == 404
    with pytest.raises(Exception, match="closed"):
        app.state.store.plan_count()
