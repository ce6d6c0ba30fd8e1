"""The API's thinned curve: which points it keeps (docs/performance.md, issue 10)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from smartpick.contract import CurvePoint
from smartpick.thin import DENSE, LOG_POINTS, NEAR, thin_curve


def _curve(n: int) -> list[CurvePoint]:
    return [
        CurvePoint(applications=k, match_probability=1.0 - 0.99**k, cost_usd=30.0 * k)
        for k in range(1, n + 1)
    ]


def test_a_short_curve_is_kept_whole() -> None:
    curve = _curve(DENSE)
    assert thin_curve(curve, [40]) == curve


def test_a_long_curve_keeps_the_dense_part_the_counts_and_the_ends() -> None:
    curve = _curve(842)
    kept = thin_curve(curve, [300, 95])
    sizes = [p.applications for p in kept]
    assert sizes[: 300 + NEAR] == list(range(1, 300 + NEAR + 1))  # up to the count's neighbourhood
    assert sizes[-1] == 842
    assert len(kept) <= 300 + NEAR + LOG_POINTS
    assert len(kept) < len(curve) / 2
    assert all(p == curve[p.applications - 1] for p in kept)  # the points themselves, unchanged


@given(st.integers(0, 1500), st.lists(st.integers(0, 1500), max_size=3))
def test_the_rule_on_any_curve(n: int, counts: list[int]) -> None:
    curve = _curve(n)
    sizes = [p.applications for p in thin_curve(curve, counts)]
    assert sizes == sorted(set(sizes))
    if n:
        assert sizes[0] == 1 and sizes[-1] == n
    assert {k for k in counts if 1 <= k <= n} <= set(sizes)
    assert set(range(1, min(n, DENSE) + 1)) <= set(sizes)
    assert len(sizes) <= max(DENSE, max(counts, default=0) + NEAR) + LOG_POINTS + len(counts) + 2


def _thin_oracle(curve: list[CurvePoint], keep: list[int]) -> list[CurvePoint]:
    """The rule as first written (every size listed, geomspace per call): the test oracle."""
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


@given(st.integers(0, 1500), st.integers(1, 40), st.lists(st.integers(0, 1500), max_size=3))
def test_thin_curve_is_the_oracle(n: int, start: int, counts: list[int]) -> None:
    curve = [
        CurvePoint(applications=k, match_probability=1.0 - 0.99**k, cost_usd=30.0 * k)
        for k in range(start, start + n)
    ]
    assert thin_curve(curve, counts) == _thin_oracle(curve, counts)
