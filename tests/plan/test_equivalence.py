"""The fast kernels give the numbers of the reference implementations (``reference.py``).

Random inputs from hypothesis: probabilities with exact 0s and 1s, strength nodes, truncation
below, at and above the list size, ties in value, forced programs and every tier mix.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.model.strength import Strength
from smartpick.plan.forecast import _pmf, _prefix_mixture, forecast
from smartpick.plan.optimise import DEFAULT_OPTIONS, PlanOptions, _mixed_order
from smartpick.plan.tiers import TierMix, tier_codes

from .reference import reference_mixed_order, reference_pmf, reference_prefix_mixture

TOL = 1e-9


def _probabilities(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Beta-distributed probabilities with some exact 0s and 1s."""
    p = rng.beta(rng.uniform(0.3, 3.0), rng.uniform(0.5, 10.0), shape)
    u = rng.uniform(size=shape)
    return np.where(u < 0.03, 0.0, np.where(u > 0.98, 1.0, p))


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    lead=st.lists(st.integers(1, 6), min_size=0, max_size=2),
    n=st.integers(0, 60),
    kmax=st.one_of(st.none(), st.integers(0, 80)),
)
def test_pmf_matches_reference(seed: int, lead: list[int], n: int, kmax: int | None) -> None:
    pd = _probabilities(np.random.default_rng(seed), (*lead, n))
    fast, ref = _pmf(pd, kmax), reference_pmf(pd, kmax)
    assert fast.shape == ref.shape
    assert np.max(np.abs(fast - ref), initial=0.0) <= TOL


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    q=st.sampled_from([1, 2, 8, 16]),
    n=st.integers(0, 120),
    bins=st.integers(1, 70),
)
def test_prefix_mixture_matches_reference(seed: int, q: int, n: int, bins: int) -> None:
    rng = np.random.default_rng(seed)
    strength = Strength.of(float(rng.uniform(0.2, 2.0)), q) if q > 1 else Strength.none()
    nodes = strength.probabilities(np.log(rng.uniform(0.01, 0.99, n)) * rng.uniform(0.5, 3.0))
    nodes[:, rng.uniform(size=n) < 0.03] = 0.0
    fast = _prefix_mixture(nodes, strength.w, bins)
    ref = reference_prefix_mixture(nodes, strength.w, bins)
    assert fast.shape == ref.shape
    assert np.max(np.abs(fast - ref)) <= TOL


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 150),
    forced=st.integers(0, 5),
    ties=st.booleans(),
    tolerance=st.sampled_from([0.0, 0.15, 0.5, 0.9]),
    mix=st.sampled_from([TierMix(), TierMix((0.5, 0.6), (0.2, 0.3), (0.1, 0.2))]),
)
def test_mixed_order_matches_reference(
    seed: int, n: int, forced: int, ties: bool, tolerance: float, mix: TierMix
) -> None:
    rng = np.random.default_rng(seed)
    p = rng.beta(0.8, 4.0, n)
    if ties:
        p = np.round(p, 1)
    value = p * rng.choice([1.0, 0.9, 0.5], n)
    options = PlanOptions(mix=mix, mix_tolerance=tolerance)
    codes = tier_codes(p, DEFAULT_OPTIONS.bands)
    idx = rng.permutation(n)
    start = np.sort(idx[: min(forced, n)])
    pool = np.sort(idx[min(forced, n) :])
    fast = _mixed_order(value, codes, start, pool, options)
    ref = reference_mixed_order(value, codes, start, pool, options)
    assert fast.dtype == ref.dtype
    assert fast.tolist() == ref.tolist()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 80),
    kmax=st.integers(1, 60),
    d=st.integers(1, 12),
)
def test_forecast_matches_reference_pmfs(seed: int, n: int, kmax: int, d: int) -> None:
    """The point and every draw's P(match | theta, u) as the reference pmfs give them."""
    rng = np.random.default_rng(seed)
    point, coarse = Strength.of(0.8), Strength.of(0.8, 4)
    eta = np.log(rng.uniform(0.01, 0.6, n))
    eta_d = eta + rng.normal(0.0, 0.3, (d, n))
    m = np.maximum.accumulate(np.concatenate([[0.0], rng.uniform(0.0, 1.0, kmax)]))
    m_d = np.clip(m * rng.uniform(0.8, 1.0, (d, 1)), 0.0, 1.0)
    nodes, nodes_d = point.probabilities(eta), coarse.probabilities(eta_d)
    fc = forecast(nodes, m, nodes_d, m_d, weights=point.w, draw_weights=coarse.w)
    ref_point = point.w @ np.clip(reference_pmf(nodes, kmax) @ m, 0.0, 1.0)
    ref_draws = np.clip(np.einsum("dqk,dk->dq", reference_pmf(nodes_d, kmax), m_d), 0.0, 1.0)
    assert abs(fc.match_probability - ref_point) <= TOL
    assert fc.samples is not None
    assert np.max(np.abs(fc.samples - ref_draws)) <= TOL
