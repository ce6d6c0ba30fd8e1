"""Poisson-binomial pmf, P(match) and its range."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartpick.errors import ModelError
from smartpick.plan.forecast import (
    forecast,
    interview_count_distribution,
    match_probability,
    mixture_curve,
)
from tests.plan.factory import s_shaped_m, saturating_m

probs = st.floats(0.0, 1.0, allow_nan=False)


def brute_force_pmf(p: list[float]) -> np.ndarray:
    out = np.zeros(len(p) + 1)
    for hits in itertools.product((0, 1), repeat=len(p)):
        weight = np.prod([q if h else 1 - q for q, h in zip(p, hits, strict=True)])
        out[sum(hits)] += weight
    return out


@given(st.lists(probs, max_size=10))
def test_pmf_matches_brute_force(p: list[float]) -> None:
    pmf = interview_count_distribution(p)
    assert pmf.shape == (len(p) + 1,)
    assert np.allclose(pmf, brute_force_pmf(p), atol=1e-12)


@given(arrays(np.float64, st.integers(0, 300), elements=probs))
def test_pmf_sums_to_one_and_is_nonnegative(p: np.ndarray) -> None:
    pmf = interview_count_distribution(p)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert pmf.min() >= 0.0
    assert float(np.arange(len(pmf)) @ pmf) == pytest.approx(p.sum(), abs=1e-7)


def test_large_list_of_1500_programs() -> None:
    p = np.random.default_rng(1).beta(1.0, 6.0, 1500)
    pmf = interview_count_distribution(p)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert pmf.min() >= 0.0
    assert int(np.argmax(pmf)) == pytest.approx(p.sum(), abs=2)


@given(st.lists(probs, max_size=12), st.integers(0, 15))
def test_truncated_pmf_keeps_the_tail(p: list[float], kmax: int) -> None:
    full = brute_force_pmf(p)
    cut = interview_count_distribution(p, kmax=kmax)
    assert cut.shape == (kmax + 1,)
    padded = np.pad(full, (0, max(0, kmax + 1 - len(full))))
    assert np.allclose(cut[:kmax], padded[:kmax], atol=1e-12)
    assert cut[kmax] == pytest.approx(padded[kmax:].sum(), abs=1e-12)


def test_nodes_average_their_rows() -> None:
    p = np.random.default_rng(2).uniform(0, 0.5, (5, 40))
    w = np.full(5, 0.2)
    mixed = interview_count_distribution(p, kmax=12, weights=w)
    rows = [interview_count_distribution(row, kmax=12) for row in p]
    assert np.allclose(mixed, np.mean(rows, axis=0))


def test_match_probability_is_the_sum_over_k() -> None:
    p = [0.5, 0.2, 0.9, 0.1]
    m = saturating_m(2)  # extended by M(2) beyond k = 2
    pmf = brute_force_pmf(p)
    expected = pmf[0] * m[0] + pmf[1] * m[1] + pmf[2:].sum() * m[2]
    assert match_probability(p, m) == pytest.approx(expected)


@settings(max_examples=60)
@given(
    arrays(np.float64, st.integers(0, 60), elements=probs),
    probs,
    st.integers(0, 25),
)
def test_adding_a_program_never_lowers_p_match(p: np.ndarray, extra: float, kmax: int) -> None:
    m = s_shaped_m(kmax, mid=kmax / 2)
    before = match_probability(p, m)
    after = match_probability(np.append(p, extra), m)
    assert 0.0 <= before <= after + 1e-12 <= 1.0 + 1e-12


@settings(max_examples=60)
@given(arrays(np.float64, st.integers(1, 60), elements=probs), st.floats(0.0, 1.0))
def test_raising_every_p_never_lowers_p_match(p: np.ndarray, lift: float) -> None:
    m = saturating_m(20)
    higher = p + lift * (1.0 - p)
    assert match_probability(higher, m) >= match_probability(p, m) - 1e-12


def test_curve_equals_prefix_forecasts() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.4, 80)
    m = s_shaped_m(25)
    curve = mixture_curve(p, None, m).match_probability  # one node: independent programs
    assert curve.shape == (81,)
    for t in (0, 1, 7, 30, 80):
        assert curve[t] == pytest.approx(match_probability(p[:t], m), abs=1e-12)
    assert np.all(np.diff(curve) >= 0)
    nodes = rng.uniform(0, 0.4, (4, 80))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    mixed = mixture_curve(nodes, w, m).match_probability
    assert mixed[50] == pytest.approx(match_probability(nodes[:, :50], m, weights=w))


def test_forecast_range_and_interviews() -> None:
    rng = np.random.default_rng(4)
    p = rng.uniform(0.02, 0.3, 100)
    m = saturating_m(30, 0.25)
    p_draws = np.clip(p * rng.lognormal(0, 0.3, (40, 100)), 0, 1)
    m_draws = np.clip(m * rng.uniform(0.8, 1.0, (40, 1)), 0, 1)
    fc = forecast(p, m, p_draws, m_draws)
    assert fc.low <= fc.match_probability <= fc.high
    assert fc.low < fc.high
    assert fc.draws == 40 and fc.samples is not None and fc.samples.shape == (40, 1)
    assert fc.expected_interviews == pytest.approx(p.sum())
    assert fc.interviews_low <= fc.expected_interviews <= fc.interviews_high
    lo = np.sort(fc.samples.ravel())[3]  # the 4th of 40 equally weighted draws: 10th pct
    assert lo == pytest.approx(fc.low) or fc.low == fc.match_probability
    point = forecast(p, m)
    assert point.low == point.high == point.match_probability and point.draws == 0


def test_forecast_with_m_draws_only() -> None:
    p = np.full(30, 0.2)
    m = saturating_m(10)
    fc = forecast(p, m, m_draws=np.stack([m * 0.9, m, m * 0.95]))
    assert fc.draws == 3
    assert fc.low < fc.match_probability == fc.high


@pytest.mark.parametrize(
    ("p", "m", "match"),
    [
        ([0.5, 1.2], [0.0, 0.5], "p"),
        ([0.5, np.nan], [0.0, 0.5], "p"),
        ([0.5], [0.0, 0.6, 0.4], "M"),
        ([0.5], [], "M"),
    ],
)
def test_bad_inputs_raise_model_error(p: list[float], m: list[float], match: str) -> None:
    with pytest.raises(ModelError, match=match):
        match_probability(p, m)


def test_mismatched_draws_raise() -> None:
    with pytest.raises(ModelError, match="draws"):
        forecast([0.2, 0.3], saturating_m(5), np.full((4, 2), 0.2), np.zeros((3, 6)))


# -- interviews that move together (the strength mixture) --------------------------------


def test_mixture_pmf_is_the_average_of_node_pmfs() -> None:
    from smartpick.model.strength import Strength

    eta = np.log(np.array([0.1, 0.3, 0.05, 0.2]) / np.array([0.9, 0.7, 0.95, 0.8]))
    s = Strength.of(1.2)
    nodes = s.probabilities(eta)
    want = sum(w * brute_force_pmf(list(row)) for w, row in zip(s.w, nodes, strict=True))
    got = interview_count_distribution(nodes, weights=s.w)
    assert np.allclose(got, want, atol=1e-12)


def test_shared_strength_widens_the_interview_count() -> None:
    from smartpick.model.strength import Strength
    from smartpick.plan.forecast import mixture_curve

    eta = np.full(100, np.log(0.08 / 0.92))
    m = saturating_m(30, 0.3)
    indep = mixture_curve(Strength.none().probabilities(eta), None, m)
    s = Strength.of(1.0)
    mixed = mixture_curve(s.probabilities(eta), s.w, m)
    # same log-odds at u = 0; the mixture's spread of K is wider
    assert mixed.interviews_high[-1] - mixed.interviews_low[-1] > (
        indep.interviews_high[-1] - indep.interviews_low[-1]
    )


def test_mixture_lowers_the_odds_at_equal_expected_interviews() -> None:
    """With the same marginal p per program, a shared strength gives lower P(match) for a
    concave M: interviews arrive in clumps, and clumps are wasted."""
    from smartpick.model.strength import Strength, anchor_logit

    p = np.full(80, 0.06)
    m = saturating_m(20, 0.35)
    s = Strength.of(1.0)
    eta = anchor_logit(p, 1.0)
    mixed = forecast(s.probabilities(eta), m, weights=s.w)
    indep = forecast(p, m)
    assert mixed.expected_interviews == pytest.approx(indep.expected_interviews, rel=1e-6)
    assert mixed.match_probability < indep.match_probability - 0.02
    assert mixed.low < mixed.match_probability < mixed.high


@given(st.lists(st.floats(-5, 2), min_size=1, max_size=8), st.floats(0.0, 2.0))
def test_mixture_forecast_matches_brute_force(eta: list[float], tau: float) -> None:
    from smartpick.model.strength import Strength

    s = Strength.of(tau)
    m = saturating_m(6, 0.4)
    nodes = s.probabilities(np.array(eta))
    fc = forecast(nodes, m, weights=s.w)
    want = sum(
        w
        * float(brute_force_pmf(list(row)) @ np.r_[m, np.full(len(eta) + 1, m[-1])][: len(eta) + 1])
        for w, row in zip(s.w, nodes, strict=True)
    )
    assert fc.match_probability == pytest.approx(want, abs=1e-9)
