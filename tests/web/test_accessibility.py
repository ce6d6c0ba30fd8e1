"""Accessibility: axe-core (bundled by axe-playwright-python) finds no violation on the real
pages — the form, the results of a real plan, a program page and the catalog search — at
desktop and phone widths. Runs in real Chromium against a server backed by the real service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

from .server import running_server
from .test_browser import browser  # noqa: F401  (the module-scoped Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_base(shipped_db: Path) -> Iterator[str]:
    with running_server(create_app(Planner(shipped_db, SQLiteStore(":memory:")))) as base:
        yield base


def _violations(pg: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(pg)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['html'][:120]}"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_real_pages_have_no_axe_violations(
    browser: Any,  # noqa: F811
    real_base: str,
    width: int,
) -> None:
    # axe's script is injected by the test: let it past the page's strict CSP
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    try:
        found: dict[str, list[str]] = {}
        pg.goto(real_base + "/")
        found["form"] = _violations(pg)
        pg.fill("#step2_score", "217")
        pg.fill("#usce_months", "2")
        pg.select_option("#usce_kind", "elective")
        pg.click("button.primary")
        pg.wait_for_selector("#p-match")
        pg.locator("#map svg path").first.wait_for()
        found["results"] = _violations(pg)
        rows = pg.locator("#programs tbody tr[data-code]")
        rows.nth(0).locator('input[name="sel"]').check()
        rows.nth(1).locator('input[name="sel"]').check()
        pg.click("#act-compare")
        pg.locator("#compare li.program").nth(1).wait_for()
        rows.nth(2).get_by_role("button", name=re.compile("^Details")).click()
        pg.locator("#programs tr.detail li.program").wait_for()
        pg.select_option("#f-tier", index=1)
        found["results with compare, details and a filter"] = _violations(pg)
        pg.reload()
        pg.wait_for_selector("#p-match")
        found["results restored"] = _violations(pg)
        fresh = context.new_page()  # a new tab keeps nothing: /results offers the form
        fresh.goto(real_base + "/results")
        found["results address, nothing kept"] = _violations(fresh)
        fresh.close()
        code = rows.first.get_attribute("data-code")
        pg.goto(f"{real_base}/programs/{code}")
        found["program"] = _violations(pg)
        pg.goto(real_base + "/programs?specialty=140&state=OH")
        found["search"] = _violations(pg)
        assert found == {k: [] for k in found}
    finally:
        context.close()
