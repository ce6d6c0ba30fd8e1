"""The curve chart's data: thinned points, the headline point, target and budget."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from smartpick.contract import CurvePoint
from smartpick.web.chart import chart_data

from ..render.factory import make_result


def _curve(n: int) -> list[CurvePoint]:
    return [
        CurvePoint(applications=i, match_probability=1 - 0.9**i, cost_usd=11.0 * i)
        for i in range(1, n + 1)
    ]


def test_the_highlighted_point_is_the_headline_not_the_primary_part() -> None:
    result = make_result(5).model_copy(
        update={"curve": _curve(40), "recommended_count": 30, "match_probability": 0.54}
    )
    data = json.loads(chart_data(result, result.curve, 20, target=0.8, budget=300))
    assert data["headline"] == {"n": 30, "p": 0.54, "c": round(result.cost_usd)}
    assert data["primary"] == 20
    assert data["x"] == list(range(1, 41)) and len(data["p"]) == len(data["c"]) == 40
    assert data["target"] == 0.8 and data["budget"] == 300
    assert chart_data(result.model_copy(update={"curve": []}), [], 0) == ""


def test_target_and_budget_only_when_meaningful() -> None:
    result = make_result(3).model_copy(update={"curve": _curve(5)})
    data = json.loads(chart_data(result, result.curve, 3, target=1.0, budget=0))
    assert data["target"] is None and data["budget"] is None


@given(st.lists(st.floats(-1, 2), min_size=1, max_size=60))
def test_probabilities_drawn_stay_in_0_1(probs: list[float]) -> None:
    curve = [
        CurvePoint(applications=i + 1, match_probability=p, cost_usd=11.0 * (i + 1))
        for i, p in enumerate(probs)
    ]
    result = make_result(2).model_copy(update={"curve": curve})
    data = json.loads(chart_data(result, curve[::-1], 1))
    assert all(0 <= p <= 1 for p in data["p"])
    assert data["x"] == sorted(data["x"])
