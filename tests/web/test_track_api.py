"""The tracker's API over the real planner and catalog: token, 404, 422, export, delete.

The clock is pinned (``$SMARTPICK_TODAY``, read per request): plans are saved on 1 July 2026,
before programs may review applications, so they are for the 2027 Match; events are recorded
and the status read later in that season (1 November 2026 unless a test moves the clock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartpick.config import TODAY_ENV
from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

BODY: dict[str, Any] = {
    "profile": {"specialty": "Internal Medicine", "step2_score": 225, "us_letters": 2},
    "exclude": [],
    "include": [],
}


#: Saved before the 2027 Match's programs-review date (30 September 2026): the 2027 Match.
SAVED_ON = "2026-07-01"
#: The day events are recorded and the status read, unless a test moves the clock.
TRACKED_ON = "2026-11-01"
#: Days within the 2027 Match season, not after TRACKED_ON.
OCT_12, OCT_20, OCT_25 = "2026-10-12", "2026-10-20", "2026-10-25"

Clock = Callable[[str], None]


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Pins SmartPick's date at TRACKED_ON; call it to move the clock (ISO date)."""

    def move(day: str) -> None:
        monkeypatch.setenv(TODAY_ENV, day)

    move(TRACKED_ON)
    return move


def save_plan(client: TestClient, clock: Clock) -> dict[str, Any]:
    """Save BODY's plan on SAVED_ON (the 2027 Match), then set the clock to TRACKED_ON."""
    clock(SAVED_ON)
    resp = client.post("/api/plans?advice=false", json=BODY)
    clock(TRACKED_ON)
    assert resp.status_code == 201, resp.text
    out: dict[str, Any] = resp.json()
    assert out["plan"]["match_year"] == 2027
    return out


@pytest.fixture(scope="module")
def app_client(shipped_db: Path) -> Iterator[TestClient]:
    store = SQLiteStore(":memory:")
    with TestClient(create_app(Planner(shipped_db, store), store)) as c:
        yield c


@pytest.fixture
def saved(app_client: TestClient, clock: Clock) -> dict[str, Any]:
    return save_plan(app_client, clock)


def _hdr(token: str) -> dict[str, str]:
    return {"X-Plan-Token": token}


def test_wrong_token_is_403_and_changes_nothing(
    app_client: TestClient, saved: dict[str, Any]
) -> None:
    pid, code = saved["id"], saved["plan"]["programs"][0]["program_code"]
    url = f"/api/plans/{pid}"
    ev = {"program_code": code, "status": "invited", "date": OCT_12}
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
        "status": {"program_code": code, "status": "maybe", "date": OCT_12},
        "date": {"program_code": code, "status": "invited", "date": "2026-02-30"},
        "program_code": {"program_code": "0000999X0", "status": "invited", "date": OCT_12},
    }
    for field, body in cases.items():
        resp = app_client.post(url, json=body, headers=_hdr(tok))
        assert resp.status_code == 422, (field, resp.text)
        assert field in (resp.json()["field"] or ""), resp.json()
    future = {"program_code": code, "status": "invited", "date": "2099-01-01"}
    resp = app_client.post(url, json=future, headers=_hdr(tok))
    assert resp.status_code == 422 and resp.json()["field"] == "date"
    for day, why in (
        ("2026-11-20", "2026-11-20 is in the future (today is 2026-11-01)"),
        ("2026-05-01", "2026-05-01 is before the 2027 Match season (2026-06-03 to 2027-03-19)"),
    ):
        resp = app_client.post(url, json={**future, "date": day}, headers=_hdr(tok))
        assert resp.status_code == 422 and why in resp.text, resp.text
        assert "allowed: 2026-06-03 to 2026-11-02 (the 2027 Match)" in resp.text
    batch = {"events": [cases["status"] | {"status": "invited"}, cases["program_code"]]}
    resp = app_client.post(url, json=batch, headers=_hdr(tok))
    assert resp.status_code == 422 and resp.json()["field"] == "events[1].program_code"
    assert app_client.app.state.store.plan_events(pid) == []  # type: ignore[attr-defined]


def test_invitations_raise_the_odds_export_and_delete(app_client: TestClient, clock: Clock) -> None:
    out = save_plan(app_client, clock)
    pid, tok = out["id"], out["delete_token"]
    codes = [p["program_code"] for p in out["plan"]["programs"]]
    base = app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok))
    assert base.status_code == 200, base.text
    before = base.json()
    assert before["received_interviews"] == 0 and before["timing"]
    events = [{"program_code": c, "status": "invited", "date": OCT_12} for c in codes[:3]]
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


def test_a_plan_for_the_next_match_says_its_season_has_not_started(
    app_client: TestClient, clock: Clock
) -> None:
    clock("2026-12-02")  # after the 2027 Match's review date: the list is for the 2028 Match
    out = app_client.post("/api/plans?advice=false", json=BODY).json()
    assert out["plan"]["match_year"] == 2028
    pid, tok = out["id"], out["delete_token"]
    code = out["plan"]["programs"][0]["program_code"]
    ev = {"program_code": code, "status": "applied", "date": "2026-12-01"}
    resp = app_client.post(f"/api/plans/{pid}/events", json=ev, headers=_hdr(tok))
    assert resp.status_code == 422 and resp.json()["field"] == "date"
    assert (
        "2026-12-01 cannot be recorded yet: the plan is for the 2028 Match, whose season has "
        "not started (it opens on 2 June 2027, when ERAS opens, and ends on Match Day, "
        "17 March 2028)"
    ) in resp.text
    assert "allowed: dates from 2027-06-02 on" in resp.text
    status = app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok)).json()
    assert status["match_year"] == 2028
    assert status["warnings"][0] == (
        "This plan is for the 2028 Match, whose season has not started: it opens on "
        "2 June 2027 (when ERAS opens); record events from then."
    )
    clock("2027-06-10")  # the season is open: the same program can be recorded
    ev["date"] = "2027-06-09"
    resp = app_client.post(f"/api/plans/{pid}/events", json=ev, headers=_hdr(tok))
    assert resp.status_code == 201, resp.text


def test_silence_lowers_the_odds_as_the_season_goes_on(
    app_client: TestClient, clock: Clock
) -> None:
    out = save_plan(app_client, clock)
    pid, tok = out["id"], out["delete_token"]
    codes = [p["program_code"] for p in out["plan"]["programs"]]
    clock("2026-10-26")
    events = [
        {"program_code": codes[0], "status": "invited", "date": OCT_12},
        {"program_code": codes[1], "status": "invited", "date": OCT_20},
        {"program_code": codes[2], "status": "rejected", "date": OCT_25},
    ]
    assert app_client.post(f"/api/plans/{pid}/events", json=events, headers=_hdr(tok)).is_success
    odds = {}
    for day in ("2026-09-15", "2026-11-01", "2026-12-02"):  # before the review date, then later
        clock(day)
        odds[day] = app_client.get(f"/api/plans/{pid}/status", headers=_hdr(tok)).json()
        assert odds[day]["as_of"] == day and odds[day]["received_interviews"] == 2
    assert (
        odds["2026-12-02"]["match_probability"]
        < odds["2026-11-01"]["match_probability"]
        < odds["2026-09-15"]["match_probability"]
    )
    assert odds["2026-12-02"]["warnings"][0].startswith("By 2 December 2026 you have 2 invit")


def test_with_no_events_the_status_is_the_saved_forecast_signals_included(
    app_client: TestClient, clock: Clock
) -> None:
    out = save_plan(app_client, clock)
    plan = out["plan"]
    assert plan["signals"], "the profile sends program signals (Internal Medicine)"
    clock(SAVED_ON)
    status = app_client.get(f"/api/plans/{out['id']}/status", headers=_hdr(out["delete_token"]))
    got = status.json()
    for key in ("match_probability", "match_probability_low", "match_probability_high"):
        assert got[key] == pytest.approx(plan[key], abs=1e-9), key
    assert got["expected_interviews"] == pytest.approx(plan["expected_interviews"], abs=1e-9)
    signalled = {s["program_code"] for s in plan["signals"]}
    assert signalled <= {p["program_code"] for p in got["programs"]}
    # a signalled program's saved chance shifts its marginal log-odds (assemble.py); the
    # tracker shifts it at every strength node, as the forecast does: they differ a little
    for p in got["programs"]:
        if p["program_code"] not in signalled:
            assert p["interview_probability"] == pytest.approx(p["interview_probability_saved"])
