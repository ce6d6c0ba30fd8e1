"""The JSON API: plan, programs, specialties, errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartpick.contract import PlanResult
from smartpick.planner import Planner
from smartpick.profile import parse_profile
from smartpick.query import ProgramQuery
from smartpick.specialties import SPECIALTIES
from smartpick.store import SQLiteStore
from smartpick.web import create_app

from . import fakes


def test_plan_returns_the_contract(client: TestClient) -> None:
    resp = client.post("/api/plan", json={"specialty": "IM", "step2_score": 225})
    assert resp.status_code == 200
    result = PlanResult.model_validate(resp.json())
    assert result == fakes.plan(parse_profile({"specialty": "IM", "step2_score": 225}))


def test_plan_exclude_and_include(client: TestClient) -> None:
    base = client.post("/api/plan", json={"specialty": "IM"}).json()
    code = base["programs"][0]["program_code"]
    less = client.post(f"/api/plan?exclude={code}", json={"specialty": "IM"}).json()
    assert less["match_probability"] < base["match_probability"]
    assert code not in {p["program_code"] for p in less["programs"]}
    extra = base["screened_out"][0]["program_code"]
    more = client.post(f"/api/plan?include={extra}", json={"specialty": "IM"}).json()
    assert extra in {p["program_code"] for p in more["programs"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"specialty": "Cardiology surgery"}, "specialty"),
        ({"specialty": "IM", "step2_score": 301}, "step2_score"),
        ({"specialty": "IM", "target_match_probability": 150}, "target_match_probability"),
        ({"specialty": "IM", "target_match_probability": "80"}, "target_match_probability"),
        ({"specialty": "IM", "visa": "o1"}, "visa"),
        ({"specialty": "IM", "regions": ["Atlantis"]}, "regions"),
        ({"specialty": "IM", "favourite_colour": "blue"}, "favourite_colour"),
        ({"specialty": "IM", "backup_specialty": "Internal Medicine"}, "backup_specialty"),
        ({}, "specialty"),
    ],
)
def test_plan_bad_input_names_the_field(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    resp = client.post("/api/plan", json=body)
    assert resp.status_code == 422
    assert resp.json()["field"] == field
    assert field in resp.json()["error"]


def test_plan_takes_any_spelling_and_a_percentage(client: TestClient) -> None:
    """Issue 11, item 7: the API's JSON reads enums and the target as the TOML file does."""
    canonical = {"specialty": "IM", "visa": "j1", "applicant_type": "non_us_img"}
    loose = {"specialty": "IM", "visa": "J-1", "applicant_type": "Non US IMG"}
    want = client.post("/api/plan", json={**canonical, "target_match_probability": 0.7}).json()
    for target in (70, "70%", 0.7):
        resp = client.post("/api/plan", json={**loose, "target_match_probability": target})
        assert resp.status_code == 200 and resp.json() == want, target
    hint = client.post("/api/plan", json={"specialty": "IM", "visa": "H1-C"}).json()
    assert hint["field"] == "visa" and "did you mean 'h1b'?" in hint["error"]


def test_plan_unknown_include_code_is_422_from_the_service(client: TestClient) -> None:
    resp = client.post("/api/plan?include=0000000X0", json={"specialty": "IM"})
    assert resp.status_code == 422 and resp.json()["field"] == "include_codes"


def test_plan_accepts_only_json(client: TestClient) -> None:
    form = client.post("/api/plan", data={"specialty": "IM"})
    assert form.status_code == 415
    text = client.post("/api/plan", content=b"{}", headers={"content-type": "text/plain"})
    assert text.status_code == 415
    broken = client.post("/api/plan", content=b"{", headers={"content-type": "application/json"})
    assert broken.status_code == 422


def test_programs_filters_and_errors(client: TestClient) -> None:
    resp = client.get("/api/programs", params={"specialty": "IM", "state": "OH", "limit": 5})
    assert resp.status_code == 200
    assert resp.json() and all(r["state"] == "OH" for r in resp.json())
    assert set(resp.json()[0]) >= {"program_code", "img_share_source", "sources", "fill_rate"}
    for params, field in [
        ({"state": "ZZ"}, "state"),
        ({"region": "Atlantis"}, "region"),
        ({"track": "X"}, "track"),
        ({"setting": "spaceship"}, "setting"),
        ({"specialty": "Cardiologyy"}, "specialty"),
        ({"min_img_share": 2}, "min_img_share"),
        ({"limit": 0}, "limit"),
        ({"sort": "random"}, "sort"),
    ]:
        bad = client.get("/api/programs", params=params)
        assert bad.status_code == 422, params
        assert bad.json()["field"] == field, params


def test_programs_query_reaches_the_service() -> None:
    seen: list[ProgramQuery] = []

    class Spy(fakes.FakePlanner):
        def search_programs(self, query: ProgramQuery, **kw: object) -> list[dict[str, object]]:
            seen.append(query)
            return []

    client = TestClient(fakes.make_app(Spy()))
    params = "specialty=fm&track=categorical&state=oh&region=midwest&setting=community"
    params += (
        "&min_img_share=0.3&visa_j1=true&accepting=1&text=mercy&sort=img_share&descending=true"
    )
    assert client.get(f"/api/programs?{params}").json() == []
    assert seen == [
        ProgramQuery(
            specialty="Family Medicine",
            tracks=("C",),
            states=("OH",),
            regions=("Midwest",),
            settings=("community",),
            min_img_share=0.3,
            visa_j1=True,
            accepting=True,
            text="mercy",
            sort="img_share",
            descending=True,
        )
    ]


def test_specialties(client: TestClient) -> None:
    resp = client.get("/api/specialties")
    assert resp.status_code == 200
    assert [s["code"] for s in resp.json()] == [s.code for s in SPECIALTIES]


def test_openapi_and_docs_are_local(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/plan", "/api/programs", "/api/specialties"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http" not in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_service_not_ready_is_503_not_500(db_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    def not_yet(*a: object, **k: object) -> PlanResult:
        raise NotImplementedError

    planner = fakes.FakePlanner()
    monkeypatch.setattr(planner, "plan", not_yet)
    with TestClient(fakes.make_app(planner)) as c:
        resp = c.post("/api/plan", json={"specialty": "IM"})
    assert resp.status_code == 503


def test_unexpected_error_is_a_friendly_500(
    db_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*a: object, **k: object) -> PlanResult:
        raise RuntimeError("secret internals")

    planner = fakes.FakePlanner()
    monkeypatch.setattr(planner, "plan", boom)
    with TestClient(fakes.make_app(planner), raise_server_exceptions=False) as c:
        resp = c.post("/api/plan", json={"specialty": "IM"})
    assert resp.status_code == 500
    assert "secret" not in resp.text


def test_live_plan_and_programs(shipped_db: Path) -> None:
    """The real service behind the API: the contract, advice on demand, the catalog search."""
    profile = {
        "specialty": "Internal Medicine",
        "step2_score": 225,
        "usce_months": 2,
        "usce_kind": "elective",
        "us_letters": 2,
    }
    with TestClient(create_app(Planner(shipped_db, SQLiteStore(":memory:")))) as c:
        plan = c.post("/api/plan", json=profile)
        assert plan.status_code == 200, plan.text
        result = PlanResult.model_validate(plan.json())
        assert 0 < result.match_probability < 1
        assert result.recommended_count == len(result.programs) > 0
        assert result.advice and result.timeline and result.standing is not None
        quick = c.post("/api/plan", json=profile, params={"advice": "false"})
        assert quick.status_code == 200 and quick.json()["advice"] == []
        assert quick.json()["match_probability"] == result.match_probability
        drop = result.programs[0].program_code
        fewer = c.post("/api/plan", json=profile, params={"exclude": drop, "advice": "false"})
        assert drop not in {p["program_code"] for p in fewer.json()["programs"]}
        progs = c.get("/api/programs", params={"specialty": "140", "state": "OH", "limit": 3})
        assert progs.status_code == 200, progs.text
        assert [r["state"] for r in progs.json()] == ["OH"] * 3


def test_live_results_page(shipped_db: Path) -> None:
    from .conftest import post_profile

    with TestClient(create_app(Planner(shipped_db, SQLiteStore(":memory:")))) as c:
        page = post_profile(c)
        assert page.status_code == 200
        assert "Where you stand" in page.text and "Strategy plan" in page.text
        assert '<blockquote class="template">Subject:' in page.text  # the coordinator email
