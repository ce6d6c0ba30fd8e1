"""A thinned P(match) curve for the JSON API: every point where a reader looks, fewer beyond.

The rule (``POST /api/plan`` sends it by default, built so by the planner: ``curve="thin"``;
``?curve=full`` and ``smartpick plan --json`` send every point): keep

- every list size from 1 to ``max(DENSE, largest kept count + NEAR)``, which covers the guide's
  80-120 programs and the recommended counts' neighbourhood;
- beyond it, ``LOG_POINTS`` sizes spaced evenly on a log scale up to the last;
- always the recommended counts (the plan's total and each portfolio part's), the first and the
  last.

The kept points are the curve's own points, unchanged and in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartpick.contract import CurvePoint, PlanResult

__all__ = [
    "DENSE",
    "LOG_POINTS",
    "NEAR",
    "CurveDetail",
    "kept_counts",
    "kept_sizes",
    "thin_curve",
    "thin_result",
]

#: How much of the curve a plan carries: every point, or the points the rule keeps.
CurveDetail = Literal["full", "thin"]

#: Every list size up to this is kept.
DENSE = 120
#: Every list size within this many of a recommended count is kept (up to it).
NEAR = 20
#: List sizes kept beyond the dense part, log-spaced up to the last.
LOG_POINTS = 40


def kept_counts(recommended_count: int, part_counts: Iterable[int]) -> list[int]:
    """The list sizes a plan's thin curve always keeps: its total and each portfolio part's."""
    return [recommended_count, *part_counts]


def kept_sizes(sizes: npt.ArrayLike, keep: Iterable[int] = ()) -> npt.NDArray[np.bool_]:
    """Which of a curve's list sizes (ascending) the rule keeps; ``keep`` are the recommended
    counts. What the planner builds a thin curve from (:func:`smartpick.assemble.assemble`)."""
    a = np.asarray(sizes, dtype=np.int64)
    if not a.size:
        return np.zeros(0, dtype=bool)
    first, last = int(a[0]), int(a[-1])
    must = {int(k) for k in keep}
    dense = max(DENSE, max(must, default=0) + NEAR)
    wanted = np.fromiter(must | {first, last} | _log_sizes(dense, last), dtype=np.int64)
    return np.asarray((a <= dense) | np.isin(a, wanted))


def thin_curve(curve: Sequence[CurvePoint], keep: Iterable[int] = ()) -> list[CurvePoint]:
    """The points of ``curve`` the rule keeps; ``keep`` are the recommended counts."""
    mask = kept_sizes([p.applications for p in curve], keep).tolist()
    return [p for p, k in zip(curve, mask, strict=True) if k]


@lru_cache(maxsize=1024)
def _log_sizes(dense: int, last: int) -> frozenset[int]:
    """The ``LOG_POINTS`` log-spaced sizes from ``dense`` to ``last`` (none if ``last`` is
    within the dense part). Cached on its two arguments, the only inputs; at most 1,024."""
    if last <= dense:
        return frozenset()
    return frozenset(round(float(x)) for x in np.geomspace(dense, last, LOG_POINTS))


def thin_result(result: PlanResult) -> PlanResult:
    """The result with its curve thinned (:func:`thin_curve`), everything else as is: what
    ``Planner.plan(..., curve="thin")`` builds directly (the tests compare the two)."""
    keep = kept_counts(result.recommended_count, (p.count for p in result.portfolio))
    return result.model_copy(update={"curve": thin_curve(result.curve, keep)})
