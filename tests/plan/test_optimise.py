"""The curve, the recommended count, preferences, forced programs and the tier mix."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartpick.errors import InputError
from smartpick.plan.fees import eras_cost
from smartpick.plan.forecast import match_probability, mixture_curve
from smartpick.plan.optimise import PlanOptions, optimise, recommended_count
from smartpick.plan.tiers import TierBands
from tests.plan.factory import s_shaped_m, saturating_m

NO_MIX = PlanOptions(mix_tolerance=0.0)
#: The bands these mechanics tests were written for (reach < 0.10 ≤ target < 0.30 ≤ safety).
BANDS_10_30 = PlanOptions(bands=TierBands(0.10, 0.30))
probs = st.floats(0.0, 1.0, allow_nan=False)


def low_score_p(n: int, seed: int = 0) -> np.ndarray:
    """Interview probabilities on the scale of a low-score IMG (mostly 0.01-0.4)."""
    return np.random.default_rng(seed).beta(1.2, 8.0, n)


def test_order_is_by_p_without_preferences_or_mix() -> None:
    p = low_score_p(200)
    plan = optimise(p, saturating_m(), target=0.8, options=NO_MIX)
    assert np.array_equal(plan.order, np.argsort(-p, kind="stable"))
    assert np.allclose(
        plan.match_probability, mixture_curve(p[plan.order], None, saturating_m()).match_probability
    )
    assert np.array_equal(plan.applications, np.arange(201))
    assert plan.cost_usd[30] == 330 and plan.cost_usd[200] == eras_cost(200)


@settings(max_examples=40)
@given(arrays(np.float64, st.integers(1, 8), elements=probs), st.integers(0, 6))
def test_greedy_curve_is_optimal_for_every_size(p: np.ndarray, kmax: int) -> None:
    m = s_shaped_m(kmax, mid=kmax / 2, scale=1.0)
    plan = optimise(p, m, target=0.99, options=NO_MIX)
    for size in range(len(p) + 1):
        best = max(
            match_probability(p[list(c)], m) for c in itertools.combinations(range(len(p)), size)
        )
        assert plan.match_probability[size] == pytest.approx(best, abs=1e-9)


@settings(max_examples=40)
@given(
    arrays(np.float64, st.integers(0, 150), elements=probs),
    st.floats(0.05, 0.99),
    st.one_of(st.none(), st.floats(0, 3000)),
    st.floats(0.0, 0.5),
)
def test_curve_monotone_and_count_honours_budget(
    p: np.ndarray, target: float, budget: float | None, tol: float
) -> None:
    weights = np.where(np.arange(len(p)) % 3 == 0, 0.5, 1.0)
    plan = optimise(
        p,
        saturating_m(),
        target=target,
        budget=budget,
        weights=weights,
        options=PlanOptions(mix_tolerance=tol),
    )
    assert np.all(np.diff(plan.match_probability) >= 0)
    assert np.all((plan.match_probability >= 0) & (plan.match_probability <= 1))
    assert sorted(plan.order.tolist()) == list(range(len(p)))
    assert 0 <= plan.recommended_count <= len(p)
    if budget is not None:
        assert plan.cost <= budget + 1e-9
        if plan.budget_bound:
            assert plan.cost_usd[plan.recommended_count + 1] > budget
    if plan.target_reached:
        assert plan.match_probability[plan.recommended_count] >= target - 1e-12
    if plan.count_reason == "target":
        n = plan.recommended_count
        assert plan.match_probability[n - 1] < target <= plan.match_probability[n] + 1e-12


def test_target_count_is_the_smallest_list_reaching_it() -> None:
    p = low_score_p(760, seed=1)
    plan = optimise(p, saturating_m(40, 0.25), target=0.8)
    n = plan.recommended_count
    assert plan.count_reason == "target" and plan.target_reached and not plan.budget_bound
    assert plan.match_probability[n] >= 0.8 > plan.match_probability[n - 1]
    assert plan.forecast.match_probability == pytest.approx(plan.match_probability[n])
    assert plan.cost == eras_cost(n)
    assert sum(plan.tier_counts.values()) == n


def test_unreachable_target_stays_in_the_guide_range() -> None:
    """Issue 8: an unreachable target is said plainly; the list stays within 80-120."""
    m = 0.5 * saturating_m(30, 0.3)  # P(match) can never pass 50 %
    p = low_score_p(400, seed=2)
    plan = optimise(p, m, target=0.8)
    n = plan.recommended_count
    assert plan.count_reason == "unreachable" and not plan.target_reached
    assert 80 <= n <= 120
    note = next(x for x in plan.notes if "out of reach" in x)
    assert "80 programs" in note and "100 programs" in note and "120 programs" in note


def test_plateau_when_the_guide_range_is_lifted() -> None:
    m = 0.5 * saturating_m(30, 0.3)
    p = low_score_p(400, seed=2)
    plan = optimise(p, m, target=0.8, options=PlanOptions(guide_range=(0, 10_000)))
    n, curve = plan.recommended_count, plan.match_probability
    assert curve[min(n + 10, 400)] - curve[n] < 0.01
    assert curve[n - 1 + 10] - curve[n - 1] >= 0.01


def test_plateau_is_not_fooled_by_a_slow_start() -> None:
    # With an S-shaped M the first programs add little; the count must not stop there.
    curve = mixture_curve(
        np.full(300, 0.05), None, s_shaped_m(30, mid=10, scale=1.0) * 0.6
    ).match_probability
    assert curve[10] - curve[0] < 0.01  # a naive "first flat window" rule would stop at 0
    wide = PlanOptions(guide_range=(0, 10_000))
    n, why, _, _ = recommended_count(curve, np.zeros(301), target=0.9, budget=None, options=wide)
    assert why == "unreachable" and n > 100
    assert np.all(curve[np.minimum(np.arange(n, 301) + 10, 300)] - curve[n:] < 0.01)


def test_budget_binds_and_says_so() -> None:
    p = low_score_p(760, seed=1)
    free = optimise(p, saturating_m(40, 0.25), target=0.95)
    budget = eras_cost(free.recommended_count) - 45.0
    plan = optimise(p, saturating_m(40, 0.25), target=0.95, budget=budget)
    assert plan.budget_bound and plan.count_reason == "budget"
    assert plan.recommended_count == free.recommended_count - 2  # $30 per program past 30
    assert plan.cost <= budget < plan.cost_usd[plan.recommended_count + 1]
    assert any("budget" in note and "would reach your 95% target" in note for note in plan.notes)
    assert not any("No list reaches" in note for note in plan.notes)


def test_zero_budget_and_empty_lists() -> None:
    assert optimise(low_score_p(10), saturating_m(), target=0.8, budget=0).recommended_count == 0
    empty = optimise(np.array([]), saturating_m(), target=0.8)
    assert empty.recommended_count == 0 and empty.count_reason == "empty"
    assert empty.forecast.match_probability == 0.0


def test_forced_include_and_exclude() -> None:
    p = np.array([0.5, 0.4, 0.3, 0.02, 0.01])
    plan = optimise(p, saturating_m(), target=0.3, include=[4], exclude=[0], options=NO_MIX)
    assert plan.order.tolist() == [4, 1, 2, 3]
    assert plan.recommended_count >= 1 and 0 not in plan.chosen
    with pytest.raises(InputError, match="include"):
        optimise(p, saturating_m(), target=0.5, include=[1], exclude=[1])
    with pytest.raises(InputError, match="exclude"):
        optimise(p, saturating_m(), target=0.5, exclude=[9])


def test_forced_programs_raise_the_count() -> None:
    p = np.array([0.9, 0.9, 0.9, 0.05, 0.05, 0.05])
    plan = optimise(p, saturating_m(5, 2.0), target=0.5, include=[3, 4, 5])
    assert plan.recommended_count >= 3 and set(plan.chosen[:3]) == {3, 4, 5}


def test_preferences_order_within_margin() -> None:
    p = np.array([0.20, 0.18, 0.45, 0.35])
    w = np.array([1.0, 1.0, 0.5, 0.5])  # programs 2 and 3 miss a preference (margin 2)
    plan = optimise(p, saturating_m(), target=0.99, weights=w, options=NO_MIX)
    # 0.45 > 2 × 0.20 comes first; 0.35 < 2 × 0.18 waits for both preferred ones
    assert plan.order.tolist() == [2, 0, 1, 3]


def test_mix_breaks_near_ties_toward_the_guides_mix() -> None:
    p = np.concatenate([np.full(20, 0.31), np.full(20, 0.29), np.full(20, 0.05)])
    plain = optimise(p, saturating_m(), target=0.99, options=NO_MIX)
    assert set(plain.order[:20].tolist()) == set(range(20))  # all safeties first
    mixed = optimise(p, saturating_m(), target=0.99, options=BANDS_10_30)
    tiers = mixed.tiers[:20]
    n_target = int(np.count_nonzero(tiers == "target"))
    n_safety = int(np.count_nonzero(tiers == "safety"))
    assert n_target + n_safety == 20
    # aim target : safety = 45 % : 35 % of the list → 11-12 of the first 20
    assert 10 <= n_target <= 12
    # reaches (0.05) are never within 15 % of the others: they still come last
    assert set(mixed.order[40:].tolist()) == set(range(40, 60))
    # the price of the mix is bounded: each swap gives up at most 15 % of one program's gain
    assert mixed.match_probability[20] >= plain.match_probability[20] * 0.85


def test_mix_note_reports_the_shares() -> None:
    p = np.concatenate([np.full(30, 0.5), np.full(30, 0.05)])
    plan = optimise(p, saturating_m(), target=0.8)
    assert plan.tier_counts == {"reach": 0, "target": 0, "safety": plan.recommended_count}
    assert any(n.startswith("Tier mix: 0% reach, 0% target, 100% safety") for n in plan.notes)


def test_list_never_opens_with_a_reach() -> None:
    p = np.array([0.099, 0.098, 0.10])
    w = np.array([1.0, 1.0, 0.5])  # the only target misses a preference
    plan = optimise(p, saturating_m(), target=0.99, weights=w, options=BANDS_10_30)
    assert plan.tiers[0] == "target"
    only_reach = optimise(np.array([0.05, 0.02]), saturating_m(), target=0.99, options=BANDS_10_30)
    assert any("Every listed program is a reach" in n for n in only_reach.notes)


def test_draws_give_the_list_a_range() -> None:
    rng = np.random.default_rng(5)
    p = low_score_p(300, seed=5)
    draws = np.clip(p * rng.lognormal(0, 0.3, (40, 300)), 0, 1)
    plan = optimise(p, saturating_m(40, 0.25), target=0.8, p_draws=draws)
    fc = plan.forecast
    assert fc.draws == 40 and fc.low <= fc.match_probability <= fc.high
    assert fc.expected_interviews == pytest.approx(p[plan.chosen].sum())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"target": 0.0}, "target_match_probability"),
        ({"target": 0.8, "budget": -5.0}, "budget_usd"),
        ({"target": 0.8, "weights": np.zeros(3)}, "weights"),
    ],
)
def test_bad_arguments_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError, match=field):
        optimise(np.full(3, 0.2), saturating_m(), **kwargs)  # type: ignore[arg-type]


def test_count_stops_at_the_plateau_when_the_target_lies_beyond_it() -> None:
    n = np.arange(401)
    curve = 0.82 * (1 - np.exp(-n / 40))  # reaches 0.80 at n = 149; flat (< 1 pt / 10) from 117
    cost = np.array([eras_cost(int(k)) for k in n])
    count, why, bound, reached = recommended_count(curve, cost, target=0.80, budget=None)
    assert why == "unreachable" and not bound and not reached
    assert 110 <= count <= 120
    assert curve[min(count + 10, 400)] - curve[count] < 0.01
    assert curve[count + 9] - curve[count - 1] >= 0.01  # one program earlier it still rose
    # a target inside the rising part is still met exactly
    count, why, _, reached = recommended_count(curve, cost, target=0.60, budget=None)
    assert why == "target" and reached and curve[count] >= 0.60 > curve[count - 1]


def test_flat_curves_still_get_half_of_the_reachable_odds() -> None:
    """A specialty nearly out of reach: every 10 programs add < 1 point from the start."""
    n = np.arange(201)
    curve = 0.08 * (1 - np.exp(-n / 60))  # 10 programs never add a full point
    cost = np.array([eras_cost(int(k)) for k in n])
    wide = PlanOptions(guide_range=(0, 10_000))
    count, why, _, reached = recommended_count(curve, cost, target=0.8, budget=None, options=wide)
    assert why == "unreachable" and not reached
    assert curve[count] >= 0.5 * curve[-1] > curve[count - 1]


# -- the greedy order under the strength mixture (issue 8) -------------------------------


@given(
    st.lists(st.floats(-4.0, 1.5), min_size=2, max_size=7),
    st.floats(0.0, 2.0),
    st.integers(1, 6),
)
def test_greedy_order_is_optimal_under_the_mixture(eta: list[float], tau: float, k: int) -> None:
    """Brute force over every list of size k: the planner's first k programs are the best."""
    import itertools

    from smartpick.model.strength import Strength
    from smartpick.plan.forecast import forecast

    e = np.array(eta)
    k = min(k, len(e))
    s = Strength.of(tau)
    m = saturating_m(5, 0.45)
    p = s.marginal(e)
    # the tier mix may trade up to 15% of one program's gain for the guide's mix: test the
    # order itself without it
    plan = optimise(p, m, target=1.0, eta=e, strength=s, options=PlanOptions(mix_tolerance=0.0))
    best = max(
        forecast(s.probabilities(e[list(c)]), m, weights=s.w).match_probability
        for c in itertools.combinations(range(len(e)), k)
    )
    assert plan.match_probability[k] == pytest.approx(best, abs=1e-9)


def test_a_target_beyond_the_plateau_is_said_to_be_out_of_reach() -> None:
    """Issue 8: the guide's example must hear plainly that 80% is out of reach, and must not be
    sent to the plateau of a target it cannot reach (here far beyond the guide's 120)."""
    n = np.arange(401)
    curve = 0.85 * (1 - np.exp(-n / 90))  # 80% only at n ~ 255; flat from ~ 200
    plan_curve_cost = np.array([eras_cost(int(k)) for k in n])
    count, why, _, reached = recommended_count(curve, plan_curve_cost, target=0.80, budget=None)
    assert why == "unreachable" and not reached and count == 120


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 60),
    st.floats(0.0, 2.0),
    st.integers(1, 12),
)
def test_point_forecast_from_the_curve_is_the_forecast(
    seed: int, n: int, tau: float, kmax: int
) -> None:
    """Without draws an ordering's forecast is read from its curve's pass (per node); the
    oracle is :func:`.forecast.forecast` on the same programs."""
    from smartpick.model.strength import Strength
    from smartpick.plan.forecast import forecast
    from smartpick.plan.ordering import order_list

    rng = np.random.default_rng(seed)
    eta = rng.normal(-1.5, 1.5, n)
    strength = Strength.of(tau, 16)
    m = np.sort(rng.uniform(0.0, 1.0, kmax + 1))
    m[0] = 0.0
    o = order_list(strength.marginal(eta), m, eta=eta, strength=strength, per_node=True)
    for count in {0, n // 2, n}:
        fast = o.forecast(count, m, draws=False)
        slow = forecast(o.nodes[:, :count], m, weights=strength.w)
        for name in ("match_probability", "low", "high", "expected_interviews"):
            assert abs(getattr(fast, name) - getattr(slow, name)) <= 1e-12, name
        assert (fast.interviews_low, fast.interviews_high, fast.draws) == (
            slow.interviews_low,
            slow.interviews_high,
            slow.draws,
        )
        assert np.allclose(fast.nodes, slow.nodes, rtol=0.0, atol=1e-12)
