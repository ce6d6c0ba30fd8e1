"""The results page in real Chromium (fake service inside a real server), at desktop and
phone widths: sort, filter, compare, details, star / hide and re-plan, add by name, the map,
and Back / reload keeping the results without the server holding the profile."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from . import fakes
from .test_browser import ARTIFACTS, _fill_form, base_url, browser  # noqa: F401

pytestmark = pytest.mark.browser
ROWS = "#programs tbody tr[data-code]"


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def pg(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:  # noqa: F811
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    page.base = base_url
    page.width = width
    _fill_form(page)
    page.wait_for_url(re.compile(r"/results$"))  # the page script has run: moved and enhanced
    page.locator("#f-count", has_text="Showing").wait_for()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"results-{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [] and outside == []


def _column(pg: Any, col: str, visible_only: bool = True) -> list[str]:
    index = pg.locator("#programs thead th").evaluate_all(
        "(ths, col) => ths.findIndex(th => th.dataset.col === col)", col
    )
    rows = pg.locator(ROWS + (":visible" if visible_only else ""))
    return [t.strip() for t in rows.locator(f"td:nth-child({index + 1})").all_inner_texts()]


def _pct(values: list[str]) -> list[int]:
    return [int(re.sub(r"\D", "", v)) for v in values]


def test_sort_by_header_click_and_keyboard(pg: Any) -> None:
    assert pg.url.endswith("/results")  # the posted page moved itself to a GET address
    header = pg.locator('#programs th[data-col="chance"]')
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    chances = _pct(_column(pg, "chance"))
    assert chances == sorted(chances) and len(chances) == 12
    header.focus()
    pg.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert _pct(_column(pg, "chance")) == sorted(chances, reverse=True)
    pg.locator('#programs th[data-col="rank"]').click()
    assert _pct(_column(pg, "rank")) == list(range(1, 13))
    if pg.width == 390:  # the table scrolls inside its own box, the page does not
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390


def test_filters_narrow_the_table_and_the_map(pg: Any) -> None:
    tiers = _column(pg, "tier")
    pg.select_option("#f-tier", "reach")
    shown = _column(pg, "tier")
    assert shown == ["reach"] * tiers.count("reach")
    assert pg.inner_text("#f-count") == f"Showing {len(shown)} of 12 programs."
    pg.select_option("#f-tier", "")
    pg.fill("#f-min", "101")
    assert _column(pg, "chance") == []
    pg.fill("#f-min", "")
    pg.fill("#f-text", "evil")
    assert len(_column(pg, "name")) == 1
    pg.fill("#f-text", "")
    paths = pg.locator("#map svg path")
    paths.first.wait_for()
    assert paths.count() > 48
    label = pg.locator("#map svg").get_attribute("aria-label") or ""
    states = _column(pg, "state")
    assert f"OH {states.count('OH')}" in label
    pg.locator("#map svg path", has=pg.locator("title", has_text="Ohio")).click()
    assert set(_column(pg, "state")) == {"OH"}


def test_compare_and_details(pg: Any) -> None:
    rows = pg.locator(ROWS)
    codes = [rows.nth(i).get_attribute("data-code") for i in range(3)]
    for i in range(3):
        rows.nth(i).locator('input[name="sel"]').check()
    pg.click("#act-compare")
    cards = pg.locator("#compare li.program")
    cards.nth(2).wait_for()
    assert [cards.nth(i).get_attribute("data-code") for i in range(3)] == codes
    assert "interview chance" in pg.inner_text("#compare")
    detail = rows.nth(4).get_by_role("button", name=re.compile("^Details"))
    detail.click()
    pg.locator("#programs tr.detail li.program").wait_for()
    assert detail.get_attribute("aria-expanded") == "true"
    detail.click()
    assert pg.locator("#programs tr.detail").count() == 0


def test_star_hide_and_add_by_name_replan(pg: Any) -> None:
    first = pg.locator(ROWS).first
    code = first.get_attribute("data-code")
    first.get_by_role("button", name=re.compile("^Star ")).click()
    pg.locator(f'{ROWS}.starred[data-code="{code}"]').wait_for()
    assert pg.locator('input[name="include_codes"]').evaluate_all(
        "els => els.map(e => e.value)"
    ) == [code]
    pg.check("#f-star")
    assert len(_column(pg, "name")) == 1
    pg.uncheck("#f-star")
    listed = {r.get_attribute("data-code") for r in pg.locator(ROWS).all()}
    extra = next(
        r
        for r in fakes._rows()[:40]
        if r["program_code"] not in listed and r["institution_as_listed"]
    )
    pg.fill("#add-name", str(extra["institution_as_listed"])[:12])
    add = pg.locator(f'#add-found button[value="{extra["program_code"]}"]')
    add.click()
    pg.locator(f'{ROWS}.starred[data-code="{extra["program_code"]}"]').wait_for()
    victim = pg.locator(f"{ROWS}:not(.starred)").first
    gone = victim.get_attribute("data-code")
    victim.locator('input[name="sel"]').check()
    pg.click("#act-hide")
    pg.locator(f'{ROWS}[data-code="{gone}"]').wait_for(state="detached")
    assert gone in pg.inner_text(".removed")


def test_back_and_reload_keep_the_results(pg: Any) -> None:
    victim = pg.locator(ROWS).nth(1)
    gone = victim.get_attribute("data-code")
    victim.locator('input[name="sel"]').check()
    pg.click("#act-hide")
    pg.locator(f'{ROWS}[data-code="{gone}"]').wait_for(state="detached")
    changed = pg.inner_text("#p-match")
    rows = pg.locator(ROWS).count()
    pg.select_option("#f-tier", "target")
    pg.locator(ROWS + ":visible").first.locator("a").click()
    pg.wait_for_url(re.compile(r"/programs/"))
    response_codes: list[int] = []
    pg.on("response", lambda r: response_codes.append(r.status))
    pg.go_back()
    pg.wait_for_selector("#p-match")
    assert pg.url.endswith("/results") and pg.inner_text("#p-match") == changed
    assert pg.locator(ROWS).count() == rows
    assert pg.input_value("#f-tier") == "target"  # the filter came back too
    pg.reload()
    pg.wait_for_selector("#p-match")
    assert pg.locator(ROWS).count() == rows and pg.inner_text("#p-match") == changed
    assert all(c < 400 for c in response_codes)
    # a new tab has nothing kept: the address offers the form, the server knows nothing
    other = pg.context.new_page()
    other.goto(pg.base + "/results")
    assert other.locator("#p-match").count() == 0
    assert "make a plan" in other.inner_text("#restore-msg")
    other.close()


def test_without_javascript_the_table_and_its_buttons_still_work(
    browser: Any,  # noqa: F811
    base_url: str,  # noqa: F811
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.base = base_url
    try:
        _fill_form(page)
        rows = page.locator(ROWS)
        assert rows.count() == 12 and page.locator("#filters").is_hidden()
        codes = [rows.nth(i).get_attribute("data-code") for i in range(2)]
        for i in range(2):
            rows.nth(i).locator('input[name="sel"]').check()
        page.click("#act-compare")
        page.wait_for_selector("#compare-h")
        cards = page.locator("#compare li.program")
        assert [cards.nth(i).get_attribute("data-code") for i in range(2)] == codes
        page.locator(ROWS).first.locator('input[name="sel"]').check()
        page.click("#act-star")
        page.wait_for_selector(f'{ROWS}.starred[data-code="{codes[0]}"]')
        assert page.locator("#by-state tbody tr").count() >= 1  # the map's no-JS table
    finally:
        context.close()
