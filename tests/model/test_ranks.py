"""Rank distributions and the isotonic step behind M(k)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.model.ranks import (
    RankSummary,
    isotonic,
    match_curve,
    nbinom_pmf,
    poisson_pmf,
    rank_pmf,
)


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


@settings(max_examples=200, deadline=None)
@given(
    mean=st.floats(0.05, 40.0),
    over=st.floats(1.001, 30.0),
    kmax=st.integers(1, 120),
)
def test_pmfs_match_scipy(mean: float, over: float, kmax: int) -> None:
    """The NumPy pmfs give scipy.stats' numbers (planning no longer imports scipy.stats)."""
    from scipy import stats

    k = np.arange(kmax + 1, dtype=np.float64)
    r = mean / (over - 1.0)
    p = r / (r + mean)
    np.testing.assert_allclose(
        nbinom_pmf(k, r, p), stats.nbinom.pmf(k, r, p), rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        poisson_pmf(k, mean), stats.poisson.pmf(k, mean), rtol=1e-9, atol=1e-12
    )
