"""The data of the results page's curve chart, drawn in the browser by the vendored uPlot
(``static/vendor/uplot-*``; no network). Without JavaScript the page shows the same numbers as a
table.

The curve is the primary list's P(match) and ERAS cost against the number of applications; the
chart's highlighted point is the plan's headline (the whole portfolio's odds and cost at the
recommended count), so it always matches the number in the summary above it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from smartpick.contract import CurvePoint, PlanResult

__all__ = ["chart_data"]


def chart_data(
    result: PlanResult,
    points: Sequence[CurvePoint],
    primary: int,
    *,
    target: float | None = None,
    budget: float | None = None,
) -> str:
    """JSON for the chart's ``data-chart`` attribute ("" when the plan has no curve);
    ``points``: the curve points to draw (the page's evenly thinned ones)."""
    curve = sorted(points, key=lambda p: p.applications)
    if not curve:
        return ""
    payload = {
        "x": [p.applications for p in curve],
        "p": [round(min(max(p.match_probability, 0.0), 1.0), 4) for p in curve],
        "c": [round(p.cost_usd) for p in curve],
        "primary": primary,
        "headline": {
            "n": result.recommended_count,
            "p": round(result.match_probability, 4),
            "c": round(result.cost_usd),
        },
        "target": target if target is not None and 0 < target < 1 else None,
        "budget": budget if budget is not None and budget > 0 else None,
    }
    return json.dumps(payload, separators=(",", ":"))
