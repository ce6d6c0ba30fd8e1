"""The tracker page over the real planner and catalog: token form, no-JS posts, undo, forget.

The clock is pinned as in ``test_track_api``: plans saved on 1 July 2026 (the 2027 Match),
events recorded on 1 November 2026.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from smartpick.pipeline import PlanCore
from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.track.status import allowed_codes
from smartpick.web import create_app
from smartpick.web.track_pages import TOKEN_COOKIE, XLSX

from .test_track_api import OCT_12, TRACKED_ON, Clock, clock, save_plan  # noqa: F401

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_ODDS = re.compile(r'id="track-p">([^<]+)<')


@pytest.fixture(scope="module")
def app(shipped_db: Path) -> Iterator[FastAPI]:
    store = SQLiteStore(":memory:")
    application = create_app(Planner(shipped_db, store), store)
    with TestClient(application):
        yield application


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def saved(client: TestClient, clock: Clock) -> dict[str, Any]:  # noqa: F811
    return save_plan(client, clock)


def _csrf(client: TestClient, url: str) -> str:
    found = _CSRF.search(client.get(url).text)
    assert found
    return found.group(1)


def _record(client: TestClient, pid: str, token: str | None, **fields: str) -> Any:
    data = {"csrf_token": _csrf(client, f"/plans/{pid}/track"), **fields}
    if token is not None:
        data["plan_token"] = token
    return client.post(f"/plans/{pid}/track/events", data=data, follow_redirects=False)


def _events(client: TestClient, pid: str) -> list[Any]:
    store = client.app.state.store  # type: ignore[attr-defined]
    return list(store.plan_events(pid))


def test_page_asks_for_the_token_and_404_for_unknown(
    client: TestClient, saved: dict[str, Any]
) -> None:
    page = client.get(f"/plans/{saved['id']}/track")
    assert page.status_code == 200
    assert 'type="password"' in page.text and 'id="track-p"' not in page.text
    assert 'href="/static/track.js"' in page.text.replace("src=", "href=")
    assert client.get("/plans/nosuchplan0000000000/track").status_code == 404
    saved_page = client.get(f"/saved/{saved['id']}")
    assert f'href="/plans/{saved["id"]}/track"' in saved_page.text


def test_wrong_token_changes_nothing(client: TestClient, saved: dict[str, Any]) -> None:
    pid, code = saved["id"], saved["plan"]["programs"][0]["program_code"]
    resp = _record(client, pid, "wrong-token", program_code=code, status="invited", date=OCT_12)
    assert resp.status_code == 403
    assert "does not match this saved plan; nothing was changed" in resp.text
    assert _events(client, pid) == []
    bare_row = _record(client, pid, None, program_code=code, status="invited", date=OCT_12)
    assert bare_row.status_code == 403 and "plan_token: required" in bare_row.text
    opened = client.post(
        f"/plans/{pid}/track/open",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track"), "plan_token": "wrong-token"},
        follow_redirects=False,
    )
    assert opened.status_code == 403 and TOKEN_COOKIE not in client.cookies
    # no CSRF token: refused before anything is read
    bare = {"plan_token": saved["delete_token"], "program_code": code, "status": "invited"}
    no_csrf = client.post(f"/plans/{pid}/track/events", data={**bare, "date": OCT_12})
    assert no_csrf.status_code == 403 and _events(client, pid) == []


def test_right_token_records_undoes_and_forgets(client: TestClient, saved: dict[str, Any]) -> None:
    pid, token = saved["id"], saved["delete_token"]
    codes = [p["program_code"] for p in saved["plan"]["programs"][:2]]
    opened = client.post(
        f"/plans/{pid}/track/open",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track"), "plan_token": token},
        follow_redirects=False,
    )
    assert opened.status_code == 303 and opened.headers["location"].endswith("?done=opened")
    assert "httponly" in opened.headers["set-cookie"].lower()
    before = _ODDS.search(client.get(f"/plans/{pid}/track").text)
    assert before
    for code in codes:  # the session cookie carries the token now
        resp = _record(client, pid, None, program_code=code, status="invited", date=OCT_12)
        assert resp.status_code == 303, resp.text
        assert resp.headers["location"] == f"/plans/{pid}/track?done=recorded"
    page = client.get(f"/plans/{pid}/track?done=recorded")
    after = _ODDS.search(page.text)
    assert after and float(after.group(1).rstrip("%")) > float(before.group(1).rstrip("%"))
    assert "Recorded." in page.text and page.text.count('class="track-undo"') == 2
    events = _events(client, pid)
    assert [e.program_code for e in events] == codes
    csv_text = client.get(f"/plans/{pid}/track/events.csv").text  # by the session cookie
    assert csv_text.splitlines()[0].startswith("position,program_code,status")
    assert [line.split(",")[1] for line in csv_text.splitlines()[1:]] == codes

    undo = client.post(
        f"/plans/{pid}/track/events/{events[0].id}/delete",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track")},
        follow_redirects=False,
    )
    assert undo.status_code == 303
    assert [e.program_code for e in _events(client, pid)] == codes[1:]

    forget = client.post(
        f"/plans/{pid}/track/forget",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track")},
        follow_redirects=False,
    )
    assert forget.status_code == 303
    client.cookies.clear()  # the cookie is deleted; the client keeps the visitor cookie anew
    assert 'type="password"' in client.get(f"/plans/{pid}/track").text
    assert client.get(f"/plans/{pid}/track/events.csv").status_code == 403


def test_bad_row_names_the_field_and_records_nothing(
    client: TestClient, saved: dict[str, Any]
) -> None:
    pid, token = saved["id"], saved["delete_token"]
    code = saved["plan"]["programs"][0]["program_code"]
    resp = _record(client, pid, token, program_code=code, status="invited", date="2031-01-01")
    assert resp.status_code == 400
    assert "date: 2031-01-01" in resp.text and 'id="track-p"' in resp.text
    resp = _record(client, pid, token, program_code=code, status="", date=OCT_12)
    assert resp.status_code == 400 and "status:" in resp.text
    assert _events(client, pid) == []


def test_header_token_gets_the_fragment(client: TestClient, saved: dict[str, Any]) -> None:
    pid = saved["id"]
    hdr = {"X-Plan-Token": saved["delete_token"], "X-SmartPick-Fragment": "1"}
    frag = client.get(f"/plans/{pid}/track", headers=hdr)
    assert frag.status_code == 200 and "<html" not in frag.text and 'id="track-p"' in frag.text
    codes = {p["program_code"] for p in saved["plan"]["programs"]}
    assert codes <= set(re.findall(r'<tr id="row-([A-Z0-9]+)"', frag.text))
    wrong = client.get(f"/plans/{pid}/track", headers={**hdr, "X-Plan-Token": "wrong-token"})
    assert wrong.status_code == 403 and "nothing was changed" in wrong.text


def test_a_program_not_on_the_list_is_recorded_and_shown(
    client: TestClient, saved: dict[str, Any]
) -> None:
    pid, token = saved["id"], saved["delete_token"]
    store = client.app.state.store  # type: ignore[attr-defined]
    core = PlanCore(client.app.state.planner, dt.date.fromisoformat(TRACKED_ON))  # type: ignore[attr-defined]
    listed = {p["program_code"] for p in saved["plan"]["programs"]}
    other = sorted(allowed_codes(core, store.get_plan(pid).payload) - listed)[0]
    resp = _record(client, pid, token, program_code=other, status="applied", date=OCT_12)
    assert resp.status_code == 303, resp.text
    page = client.get(f"/plans/{pid}/track")
    row = re.search(rf'<tr id="row-{other}".*?</tr>', page.text, re.S)
    assert row and 'class="badge">added<' in row.group(0)


def _workbook(data: bytes, rows: dict[str, dict[str, Any]]) -> bytes:
    """The workbook with these Tracking cells set (by program code and column name)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Tracking"]
    col = {c.value: c.column for c in ws[1]}
    at = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for code, cells in rows.items():
        for name, value in cells.items():
            ws.cell(at[code], col[name], value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(client: TestClient, pid: str, data: bytes, token: str | None = None) -> Any:
    fields = {"csrf_token": _csrf(client, f"/plans/{pid}/track")}
    if token is not None:
        fields["plan_token"] = token
    files = {"list_file": ("season.xlsx", data, XLSX)}
    return client.post(
        f"/plans/{pid}/track/import", data=fields, files=files, follow_redirects=False
    )


def test_the_season_workbook_is_imported_from_the_page(
    client: TestClient, saved: dict[str, Any]
) -> None:
    pid, token = saved["id"], saved["delete_token"]
    codes = [p["program_code"] for p in saved["plan"]["programs"][:3]]
    assert client.get(f"/plans/{pid}/track/season.xlsx").status_code == 403  # no token yet
    assert _upload(client, pid, b"", "wrong-token").status_code == 403
    opened = client.post(
        f"/plans/{pid}/track/open",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track"), "plan_token": token},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    before = _ODDS.search(client.get(f"/plans/{pid}/track").text)
    season = client.get(f"/plans/{pid}/track/season.xlsx")  # by the session cookie
    assert season.status_code == 200 and season.headers["content-type"] == XLSX

    bad = _workbook(
        season.content,
        {
            codes[0]: {"status": "invited", "invited_on": dt.date(2026, 10, 12)},
            codes[1]: {"status": "rejected"},  # no date
            codes[2]: {"status": "invited", "invited_on": dt.date(2026, 12, 24)},  # future
        },
    )
    resp = _upload(client, pid, bad)
    assert resp.status_code == 422
    assert "2 problems in season.xlsx: nothing was recorded" in resp.text
    assert resp.text.count("season.xlsx, sheet &#39;Tracking&#39;, row ") == 2
    assert (
        "no date for &#39;rejected&#39;" in resp.text and "2026-12-24 is in the future" in resp.text
    )
    assert _events(client, pid) == []

    good = _workbook(
        season.content,
        {
            codes[0]: {"status": "invited", "invited_on": dt.date(2026, 10, 12)},
            codes[1]: {"status": "invited", "invited_on": dt.date(2026, 10, 20), "notes": "call"},
        },
    )
    resp = _upload(client, pid, good)
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"].endswith("?done=imported&recorded=2&skipped=0")
    page = client.get(resp.headers["location"])
    assert "Imported: recorded 2 events; 0 already recorded (skipped)." in page.text
    after = _ODDS.search(page.text)
    assert before and after
    assert float(after.group(1).rstrip("%")) > float(before.group(1).rstrip("%"))
    assert [(e.program_code, e.status, e.note) for e in _events(client, pid)] == [
        (codes[0], "invited", None),
        (codes[1], "invited", "call"),
    ]
    again = _upload(client, pid, good)
    assert again.headers["location"].endswith("recorded=0&skipped=2")
    assert len(_events(client, pid)) == 2


def test_before_its_season_opens_the_forms_say_so_and_cannot_record(
    client: TestClient,
    clock: Clock,  # noqa: F811
) -> None:
    from .test_track_api import BODY

    clock("2026-12-02")  # after the 2027 season's review date: the plan is for the 2028 Match
    out = client.post("/api/plans?advice=false", json=BODY).json()
    pid, token = out["id"], out["delete_token"]
    assert out["plan"]["match_year"] == 2028
    client.post(
        f"/plans/{pid}/track/open",
        data={"csrf_token": _csrf(client, f"/plans/{pid}/track"), "plan_token": token},
    )
    page = client.get(f"/plans/{pid}/track").text
    assert 'id="season-not-open"' in page and "June 2027" in page
    assert page.count("disabled>Record") == len(out["plan"]["programs"]) + 1
