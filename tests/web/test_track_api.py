"""The tracker's API over the real planner and catalog: token, 404, 422, export, delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.track.events import season_window
from smartpick.web import create_app

BODY: dict[str, Any] = {
    "profile": {"specialty": "Internal Medicine", "step2_score": 225, "us_letters": 2},
    "exclude": [],
    "include": [],
}


@pytest.fixture(scope="module")
def app_client(shipped_db: Path) -> Iterator[TestClient]:
    store = SQLiteStore(":memory:")
    with TestClient(create_app(Planner(shipped_db, store), store)) as c:
        yield c


@pytest.fixture(scope="module")
def saved(app_client: TestClient) -> dict[str, Any]:
    resp = app_client.post("/api/plans?advice=false", json=BODY)
    assert resp.status_code == 201, resp.text
    out: dict[str, Any] = resp.json()
    return out


def _day() -> str:
    """A date inside the saved plan's season, not in the future."""
    first, last = season_window(2027 if dt.date.today() > dt.date(2026, 3, 20) else 2026)
    return min(max(dt.date.today(), first), last).isoformat()


def _hdr(token: str) -> dict[str, str]:
    return {"X-Plan-Token": token}


def test_wrong_token_is_403_and_changes_nothing(
    app_client: TestClient, saved: dict[str, Any]
) -> None:
    pid, code = saved["id"], saved["plan"]["programs"][0]["program_code"]
    url = f"/api/plans/{pid}"
    ev = {"program_code": code, "status": "invited", "date": _day()}
    assert app_client.post(f"{url}/events", json=ev, headers=_hdr("wrong")).status_code == 403
    assert app_client.get(f"{url}/status", headers=_hdr("wrong")).status_code == 403
    assert app_client.post(f"{url}/events", json=ev).status_code == 422  # header required
    store = app_client.app.state.store  # type: ignore[attr-defined]
    assert store.plan_events(pid) == []
    missing = "/api/plans/" + "x" * 22
    assert app_client.get(f"{missing}/status", headers=_hdr("t")).status_code == 404
    assert app_client.post(f"{missing}/events", json=ev, headers=_hdr("t")).status_code == 404


def test_bad_events_are_422_naming_the_field(app_client: TestClient, saved: dict[str, Any]) -> None:
    pid, tok = saved["id"], saved["delete_token"]
    code = saved["plan"]["programs"][0]["program_code"]
    url = f"/api/plans/{pid}/events"
    cases = {
        "status": {"program_code": code, "status": "maybe", "date": _day()},
        "date": {"program_code": code, "status": "invited", "date": "2026-02-30"},
        "program_code": {"program_code": "0000999X0", "status": "invited", "date": _day()},
    }
    for field, body in cases.items():
        resp = app_client.post(url, json=body, headers=_hdr(tok))
        assert resp.status_code == 422, (field, resp.text)
        assert field in (resp.json()["field"] or ""), resp.json()
    future = {"program_code": code, "status": "invited", "date": "2099-01-01"}
    resp = app_client.post(url, json=future, headers=_hdr(tok))
    assert resp.status_code == 422 and resp.json()["field"] == "date"
    batch = {"events": [cases["status"] | {"status": "invited"}, cases["program_code"]]}
    resp = app_client.post(url, json=batch, headers=_hdr(tok))
    assert resp.status_code == 422 and resp.json()["field"] == "events[1].program_code"
    assert app_client.app.state.store.plan_events(pid) == []  # type: ignore[attr-defined]


def test_invitations_raise_the_odds_export_and_delete(app_client: TestClient) -> None:
    out = app_client.post("/api/plans?advice=false", json=BODY).json()
    pid, tok = out["id"], out["delete_token"]
    codes = [p["program_code"] for p in out["plan"]["programs"]]
    base = app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok))
    assert base.status_code == 200, base.text
    before = base.json()
    assert before["received_interviews"] == 0 and before["timing"]
    events = [{"program_code": c, "status": "invited", "date": _day()} for c in codes[:3]]
    added = app_client.post(f"/api/plans/{pid}/events", json=events, headers=_hdr(tok))
    assert added.status_code == 201, added.text
    after = app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok)).json()
    assert after["received_interviews"] == 3
    assert after["match_probability"] > before["match_probability"]
    assert (
        after["match_probability_low"]
        <= after["match_probability"]
        <= after["match_probability_high"]
    )
    by_code = {p["program_code"]: p for p in after["programs"]}
    assert by_code[codes[0]]["interview_probability"] == 1.0
    csv_text = app_client.get(f"/api/plans/{pid}/events?format=csv", headers=_hdr(tok)).text
    assert csv_text.splitlines()[0].startswith("position,program_code,status,date")
    assert len(csv_text.splitlines()) == 4
    listed = app_client.get(f"/api/plans/{pid}/events", headers=_hdr(tok)).json()
    eid = listed[0]["id"]
    wrong = app_client.delete(f"/api/plans/{pid}/events/{eid}", headers=_hdr("nope"))
    assert wrong.status_code == 403
    assert app_client.delete(f"/api/plans/{pid}/events/{eid}", headers=_hdr(tok)).status_code == 204
    assert len(app_client.get(f"/api/plans/{pid}/events", headers=_hdr(tok)).json()) == 2
    # the events go with the plan
    assert app_client.delete(f"/api/plans/{pid}", headers=_hdr(tok)).status_code == 204
    assert app_client.app.state.store.plan_events(pid) == []  # type: ignore[attr-defined]
    assert app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok)).status_code == 404
