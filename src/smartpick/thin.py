"""A thinned P(match) curve for the JSON API: every point where a reader looks, fewer beyond.

The rule (``POST /api/plan`` sends it by default; ``?curve=full`` and ``smartpick plan --json``
send every point): keep

- every list size from 1 to ``max(DENSE, largest kept count + NEAR)``, which covers the guide's
  80-120 programs and the recommended counts' neighbourhood;
- beyond it, ``LOG_POINTS`` sizes spaced evenly on a log scale up to the last;
- always the recommended counts (the plan's total and each portfolio part's), the first and the
  last.

The kept points are the curve's own points, unchanged and in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from smartpick.contract import CurvePoint, PlanResult

__all__ = ["DENSE", "LOG_POINTS", "NEAR", "thin_curve", "thin_result"]

#: Every list size up to this is kept.
DENSE = 120
#: Every list size within this many of a recommended count is kept (up to it).
NEAR = 20
#: List sizes kept beyond the dense part, log-spaced up to the last.
LOG_POINTS = 40


def thin_curve(curve: Sequence[CurvePoint], keep: Iterable[int] = ()) -> list[CurvePoint]:
    """The points of ``curve`` the rule keeps; ``keep`` are the recommended counts."""
    if not curve:
        return []
    sizes = [p.applications for p in curve]
    first, last = sizes[0], sizes[-1]
    must = {int(k) for k in keep}
    dense = max(DENSE, max(must, default=0) + NEAR)
    wanted = must | {first, last}
    if last > dense:
        wanted |= {round(float(x)) for x in np.geomspace(dense, last, LOG_POINTS)}
    return [p for p in curve if p.applications <= dense or p.applications in wanted]


def thin_result(result: PlanResult) -> PlanResult:
    """The result with its curve thinned (:func:`thin_curve`), everything else as is."""
    keep = [result.recommended_count, *(p.count for p in result.portfolio)]
    return result.model_copy(update={"curve": thin_curve(result.curve, keep)})
