"""The results page's arrangement: parts, folded tiers, headline labels, chart marker."""

from __future__ import annotations

import html
import json
import re

from smartpick.contract import PlanResult, PortfolioPart, TimelineItem
from smartpick.profile import parse_profile
from smartpick.web.pages import results_context
from smartpick.web.planning import PlanRequest
from smartpick.web.render import TEMPLATES, long_date
from smartpick.web.results_view import fee_source, part_titles, primary_count

from ..render.factory import make_result


def _plan(n_primary: int, n_backup: int) -> PlanResult:
    """A plan whose list holds n_primary IM programs then n_backup FM programs."""
    base = make_result(n_primary + n_backup)
    programs = [
        p.model_copy(update={"tier": "target"})
        if i < n_primary
        else p.model_copy(update={"specialty": "Family Medicine", "tier": "safety"})
        for i, p in enumerate(base.programs)
    ]
    portfolio = [
        PortfolioPart(
            specialty="Internal Medicine",
            track="categorical",
            count=n_primary,
            cost_usd=300.0,
            match_probability=0.5,
        ),
        PortfolioPart(
            specialty="Family Medicine",
            track="categorical",
            count=n_backup,
            cost_usd=200.0,
            match_probability=0.6,
        ),
        PortfolioPart(
            specialty="Preliminary IM / Transitional Year",
            track="preliminary",
            count=0,
            cost_usd=0.0,
            match_probability=0.0,
        ),
    ]
    return base.model_copy(
        update={
            "programs": programs,
            "portfolio": portfolio,
            "sources": [*base.sources, "AAMC, Fees for 2026 ERAS Season, 2026"],
            "timeline": [
                TimelineItem(date="2026-06-03", title="[past] ERAS season opens", detail="d"),
                TimelineItem(date="2027-03-19", title="Match Day", detail="results"),
            ],
        }
    )


def _html(result: PlanResult) -> str:
    profile = parse_profile({"specialty": "Internal Medicine", "step2_score": 217})
    ctx = results_context(result, profile, PlanRequest({"specialty": "Internal Medicine"}))
    return TEMPLATES.env.get_template("_results.html").render(**ctx, csrf_token="t")


def test_part_titles_follow_the_portfolio_or_each_program() -> None:
    result = _plan(3, 2)
    assert part_titles(result.programs, result.portfolio) == [
        *["Internal Medicine"] * 3,
        *["Family Medicine"] * 2,
    ]
    prelim = result.programs[0].model_copy(update={"track": "P"})
    assert part_titles([prelim], result.portfolio[:1]) == ["Internal Medicine (preliminary)"]


def test_table_keeps_every_program_in_list_order_with_its_part() -> None:
    result = _plan(17, 4)
    html = _html(result)
    rows = re.findall(r'<tr data-code="([0-9A-Z]+)"', html)
    assert rows == [p.program_code for p in result.programs]
    table = html[html.index('id="programs"') : html.index("</table>", html.index('id="programs"'))]
    assert table.count("<td>Internal Medicine</td>") == 17
    assert table.count("<td>Family Medicine</td>") == 4
    assert '<th scope="col" data-col="part">Part</th>' in html


def test_headline_labels_estimates_and_names_the_fee_source() -> None:
    result = _plan(5, 3)
    html = _html(result)
    verdict = re.search(r'<p class="verdict">(.*?)</p>', html, re.S)
    assert verdict and "8 programs" in verdict.group(1)
    assert "(5 Internal Medicine, 3 Family Medicine)" in verdict.group(1)
    assert html.count("our estimate") >= 2
    assert fee_source(result) == "AAMC, Fees for 2026 ERAS Season, 2026"
    assert "Source: AAMC, Fees for 2026 ERAS Season, 2026" in html
    assert "none in the list" in html  # the empty preliminary part, not "0 … 0%"


def test_chart_marks_the_primary_list_not_the_whole_portfolio() -> None:
    result = _plan(5, 3)
    result = result.model_copy(
        update={
            "curve": [
                c.model_copy(update={"applications": k})
                for k, c in enumerate(result.curve * 5, start=1)
            ]
        }
    )
    assert primary_count(result) == 5
    found = re.search(r'data-chart="([^"]+)"', _html(result))
    assert found
    data = json.loads(html.unescape(found.group(1)))
    assert data["primary"] == 5
    assert data["headline"]["n"] == 8 and data["headline"]["p"] == result.match_probability


def test_timeline_dates_are_spelled_out_and_past_steps_marked() -> None:
    html = _html(_plan(2, 1))
    assert '<li class="past"><time datetime="2026-06-03">Wed 3 Jun 2026</time>' in html
    assert "[past]" not in html
    assert long_date("2027-03-19") == "Fri 19 Mar 2027"
    assert long_date("soon") == "soon"
