"""The tracker page in real Chromium over the real planner: save a plan, remember its token,
record invitations from the table and see the odds change (still there after a reload); axe
finds no violation on the tracker at desktop and phone widths.

The server runs in this process (a thread), so the pinned clock of ``test_track_api``
(``$SMARTPICK_TODAY``, read per request) dates it: the plan is saved on 1 July 2026 (the 2027
Match) and tracked on 1 November 2026."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

from .server import running_server
from .test_accessibility import _violations
from .test_browser import _shot, browser  # noqa: F401  (the module-scoped Chromium fixture)
from .test_track_api import SAVED_ON, TRACKED_ON, Clock, clock  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_base(shipped_db: Path) -> Iterator[str]:
    store = SQLiteStore(":memory:")
    with running_server(create_app(Planner(shipped_db, store), store)) as base:
        yield base


def _pct(pg: Any) -> float:
    return float(re.sub(r"[^\d.]", "", pg.inner_text("#track-p")))


def _save_plan(pg: Any, base: str, move: Clock) -> None:
    """Plan and save on SAVED_ON; the clock then reads TRACKED_ON."""
    move(SAVED_ON)
    pg.goto(base + "/")
    pg.fill("#step2_score", "217")
    pg.fill("#usce_months", "2")
    pg.select_option("#usce_kind", "elective")
    pg.click("button.primary")
    pg.wait_for_selector("#p-match")
    pg.click("#save")
    pg.wait_for_selector(".delete-token")
    move(TRACKED_ON)


def _record(pg: Any, code: str, status: str) -> None:
    pg.select_option(f"#st-{code}", status)
    before = pg.locator("ol.track-history > li").count()
    pg.click(f"#rec-{code}")
    pg.locator("ol.track-history > li").nth(before).wait_for()
    assert pg.inner_text("#track-status").startswith("Recorded.")


def test_record_invitations_from_the_table(
    browser: Any,  # noqa: F811
    real_base: str,
    clock: Clock,  # noqa: F811
) -> None:
    # axe's script is injected by the test: let it past the page's strict CSP
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(real_base) else outside.append(r.url))
    try:
        _save_plan(pg, real_base, clock)
        remember = pg.locator("button.track-remember")
        remember.click()  # consent: the token is kept in this browser only now
        assert remember.inner_text() == "Forget the token on this browser"
        pg.click("a.track-link")
        pg.wait_for_selector("#track-p")  # opened with the remembered token, no typing
        assert pg.locator("#plan_token").count() == 0
        saved = _pct(pg)
        codes = pg.locator("table.track tbody tr").evaluate_all(
            "rows => rows.slice(0, 2).map(r => r.dataset.code)"
        )
        _record(pg, codes[0], "invited")
        one = _pct(pg)
        assert one > saved
        assert pg.evaluate("document.activeElement.id") == f"st-{codes[0]}"
        _record(pg, codes[1], "invited")
        two = _pct(pg)
        assert two > one
        assert pg.inner_text("#track-received") == "2"
        _shot(pg, "tracker")
        with pg.expect_download() as info:  # with the remembered token, by the header
            pg.click("#events-csv")
        rows = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
        assert [r.split(",")[1] for r in rows[1:]] == codes

        pg.reload()
        pg.wait_for_selector("#track-p")
        assert _pct(pg) == two and pg.locator("ol.track-history > li").count() == 2
        assert pg.input_value(f"#st-{codes[0]}") == "invited"
        found = {"tracker-1280": _violations(pg)}
        pg.set_viewport_size({"width": 390, "height": 844})
        found["tracker-390"] = _violations(pg)
        _shot(pg, "tracker-phone")

        # undo the last invitation: the odds go back
        pg.locator("form.track-undo button").first.click()
        pg.locator("ol.track-history > li").nth(1).wait_for(state="detached")
        assert _pct(pg) == one

        # forget: the page asks for the token again, with the consent box
        pg.click("#forget-form button")
        pg.wait_for_selector("#plan_token")
        assert pg.locator(".remember").is_visible()
        found["locked"] = _violations(pg)
        pg.fill("#plan_token", "not-the-token")
        pg.click("#open-form button")
        pg.wait_for_selector("text=nothing was changed")
        assert found == {k: [] for k in found}
    finally:
        context.close()
    assert outside == [], f"requests left the server: {outside}"
    assert [e for e in errors if "403" not in e] == []  # the wrong token's 403 only


def test_without_javascript_the_forms_post_and_redirect(
    browser: Any,  # noqa: F811
    real_base: str,
    clock: Clock,  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = context.new_page()
    try:
        _save_plan(pg, real_base, clock)
        token = pg.inner_text(".delete-token")
        assert not pg.locator("button.track-remember").is_visible()  # needs JavaScript
        pg.click("a.track-link")
        assert not pg.locator(".remember").is_visible()
        pg.fill("#plan_token", token)
        pg.click("#open-form button")
        pg.wait_for_selector("#track-p")
        saved = _pct(pg)
        code = pg.locator("table.track tbody tr").first.get_attribute("data-code")
        pg.select_option(f"#st-{code}", "invited")
        pg.fill(f"#nt-{code}", "video interview")
        pg.click(f"#rec-{code}")
        pg.wait_for_selector("text=Recorded. The odds below include it.")
        assert pg.url.endswith("/track?done=recorded") and _pct(pg) > saved
        assert "video interview" in pg.inner_text("ol.track-history")
    finally:
        context.close()


def test_import_the_season_workbook_with_the_remembered_token(
    browser: Any,  # noqa: F811
    real_base: str,
    clock: Clock,  # noqa: F811
    tmp_path: Path,
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    try:
        _save_plan(pg, real_base, clock)
        pg.locator("button.track-remember").click()  # the token in localStorage, no cookie
        pg.click("a.track-link")
        pg.wait_for_selector("#track-p")
        saved = _pct(pg)
        with pg.expect_download() as info:  # fetched with the X-Plan-Token header
            pg.click("#season-xlsx")
        got = tmp_path / "download.xlsx"
        info.value.save_as(got)
        assert re.fullmatch(r"season-[\w-]+\.xlsx", info.value.suggested_filename)
        wb = load_workbook(got)
        ws = wb["Tracking"]
        code = ws["A2"].value
        ws["C2"], ws["E2"] = "invited", dt.date(2026, 10, 12)
        filled = tmp_path / "season.xlsx"
        wb.save(filled)
        pg.set_input_files("#list_file", str(filled))
        pg.click("#import-form button")
        pg.wait_for_selector("text=Imported: recorded 1 event; 0 already recorded")
        assert _pct(pg) > saved and pg.input_value(f"#st-{code}") == "invited"
        assert "smartpick_plan_token" not in {c["name"] for c in context.cookies()}
    finally:
        context.close()
