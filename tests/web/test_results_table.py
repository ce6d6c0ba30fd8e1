"""The program table's rows and optional columns, and the published rate each row shows."""

from __future__ import annotations

from smartpick.profile import parse_profile
from smartpick.web.pages import results_context
from smartpick.web.planning import PlanRequest
from smartpick.web.render import TEMPLATES
from smartpick.web.results_table import program_table

from ..render.factory import make_result


def test_rows_follow_the_list_with_stars_rates_and_state_counts() -> None:
    base = make_result(5)
    first = base.programs[0].model_copy(update={"interview_rate_published": 0.25})
    result = base.model_copy(update={"programs": [first, *base.programs[1:]]})
    codes = [p.program_code for p in result.programs]
    table = program_table(result, (codes[1],), "us_img")
    assert [r.program.program_code for r in table.rows] == codes
    assert [r.rank for r in table.rows] == [1, 2, 3, 4, 5]
    assert [r.starred for r in table.rows] == [False, True, False, False, False]
    assert table.rows[0].published_rate == 0.25 and table.rows[1].published_rate is None
    assert table.rate_group == "US IMG"
    assert sum(n for _, n in table.by_state) == sum(1 for p in result.programs if p.state)
    assert not table.show_visa and not table.show_signal  # nothing fills them: no column


def test_visa_and_signal_columns_appear_when_the_plan_fills_them() -> None:
    base = make_result(3)
    programs = [
        base.programs[0].model_copy(update={"visa_status": "unknown", "signal": "gold"}),
        *base.programs[1:],
    ]
    result = base.model_copy(update={"programs": programs, "match_year": 2028})
    table = program_table(result, (), "non_us_img")
    assert table.show_visa and table.show_signal and table.rate_group == "non-US IMG"
    profile = parse_profile({"specialty": "IM", "applicant_type": "non_us_img", "visa": "h1b"})
    ctx = results_context(result, profile, PlanRequest({"specialty": "IM"}))
    html = TEMPLATES.env.get_template("_results.html").render(**ctx, csrf_token="t")
    assert "for the 2028 Match</h1>" in html
    assert '<th scope="col" data-col="visa">Visa (H1B)</th>' in html
    assert "<td>unknown</td><td>gold</td>" in html
