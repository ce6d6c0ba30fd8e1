"""Rank distributions and the isotonic step behind M(k)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from smartpick.model.ranks import RankSummary, isotonic, match_curve, rank_pmf


def test_pmf_matches_published_moments() -> None:
    pmf = rank_pmf(RankSummary(mean=6.1, sd=4.5, n=2649), kmax=80)
    k = np.arange(81)
    assert pmf[0] == 0.0
    assert abs(pmf.sum() - 1.0) < 1e-12
    assert abs(pmf @ k - 6.1) < 0.1


def test_under_dispersed_summary_falls_back_to_poisson() -> None:
    pmf = rank_pmf(RankSummary(mean=1.0, sd=0.0, n=5), kmax=10)
    assert pmf[1] > 0.99


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_isotonic_is_monotone_and_keeps_the_mean(y: list[float]) -> None:
    arr = np.array(y)
    w = np.ones_like(arr)
    out = isotonic(arr, w)
    assert np.all(np.diff(out) >= -1e-12)
    assert abs(out.mean() - arr.mean()) < 1e-9


def test_curve_bayes_rule() -> None:
    fm = rank_pmf(RankSummary(6.0, 4.0, 100), 30)
    fu = rank_pmf(RankSummary(2.0, 1.5, 100), 30)
    m = match_curve(fm, fu, 0.5)
    assert m[0] == 0.0
    assert np.all(np.diff(m) >= -1e-12)
    assert m[1] < 0.5 < m[8]
