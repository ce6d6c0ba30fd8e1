"""Real Chromium against a real uvicorn server (the fake service runs inside the server).

Skipped when /usr/bin/chromium is missing, except in CI (CI set), where that is a failure.
Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import fakes
from .server import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser
ROWS = "#programs tbody tr[data-code]"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have /usr/bin/chromium for the browser tests")
        pytest.skip("/usr/bin/chromium is not installed (browser tests run in CI)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def base_url() -> Iterator[str]:
    with running_server(fakes.make_app()) as base:
        yield base


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.base = base_url
    pg.console_errors = errors
    yield pg
    context.close()
    assert outside == [], f"requests left the server: {outside}"
    assert errors == [], errors


def _shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fill_form(pg: Any) -> None:
    pg.goto(pg.base + "/")
    pg.select_option("#specialty", "Internal Medicine")
    pg.fill("#step2_score", "225")
    pg.fill("#graduation_year", "2021")
    pg.fill("#usce_months", "3")
    pg.select_option("#usce_kind", "elective")
    pg.fill("#us_letters", "2")
    pg.check("input[name=regions][value=Midwest]")
    pg.fill("#exclude_states", "CA, NY")
    _shot(pg, "form")
    pg.click("button.primary")
    pg.wait_for_selector("#p-match")


def _odds(pg: Any) -> int:
    return int(re.sub(r"\D", "", pg.inner_text("#p-match")))


def test_plan_remove_export_save_reopen(page: Any) -> None:
    pg = page
    _fill_form(pg)
    assert pg.locator(ROWS).count() == 12
    pg.locator("#chart canvas").first.wait_for()
    assert "&lt;" not in pg.inner_text("#results")  # escaped once, shown as text
    assert pg.get_by_text(fakes.EVIL_NAME).count() == 1
    _shot(pg, "results")

    before = _odds(pg)
    first = pg.locator(ROWS).first
    code = first.get_attribute("data-code")
    first.locator('input[name="sel"]').check()
    pg.click("#act-hide")
    # a locator wait, not wait_for_function: the page's CSP (rightly) forbids eval
    pg.locator(f'{ROWS}[data-code="{code}"]').wait_for(state="detached")
    assert _odds(pg) < before
    assert pg.locator(ROWS).count() == 11
    assert "Updated" in pg.inner_text("#adjust-status")
    _shot(pg, "removed")

    with pg.expect_download() as info:
        pg.click("#export-csv")
    path = info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("\ufeffrank,list,tier,signal,program_code")  # BOM: Excel reads UTF-8
    assert code not in text.split("screened out")[0]
    assert len(text.strip().splitlines()) == 1 + 11 + 3

    pg.click("#save")
    pg.wait_for_selector(".saved-link")
    link = pg.inner_text(".saved-link")
    token = pg.inner_text(".delete-token")
    _shot(pg, "saved")
    pg.goto(link)
    assert pg.locator(ROWS).count() == 11
    assert pg.inner_text("#p-match") and token not in pg.content()
    pg.fill("#delete_token", token)
    pg.get_by_role("button", name="Delete this saved plan").click()
    pg.wait_for_selector("text=Saved plan deleted")
    assert pg.goto(link).status == 404
    pg.console_errors.clear()  # the 404 just asserted


def test_phone_layout_and_bad_input(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pg.goto(base_url + "/")
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the form must not scroll sideways on a phone"
    pg.fill("#step2_score", "999")
    pg.click("button.primary")
    # the browser's own validation stops the form (max=300) before it reaches the server
    assert pg.evaluate("document.querySelector('#step2_score').validity.rangeOverflow")
    assert pg.url.rstrip("/") == base_url
    _shot(pg, "phone-form")
    context.close()


def test_keyboard_only_submission(page: Any) -> None:
    pg = page
    pg.goto(pg.base + "/")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.className") == "skip"
    pg.focus("#target_match_probability")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "Make my plan"
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#p-match")


def test_api_docs_load_offline(page: Any) -> None:
    pg = page
    pg.goto(pg.base + "/docs")
    pg.wait_for_selector('.opblock-summary-path[data-path="/api/plan"]')
    _shot(pg, "docs")
