"""Portfolio: combined odds, shared ERAS counters, budget split, backups never hurt."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import InputError
from smartpick.model.strength import Strength
from smartpick.plan.fees import eras_cost
from smartpick.plan.forecast import mixture_curve
from smartpick.plan.portfolio import PartInput, PartOutcome, combine, plan_portfolio
from smartpick.plan.sizing import PRELIM_MIN, allowed_pairs, node_curves
from tests.plan.factory import saturating_m

unit = st.floats(0.0, 1.0, allow_nan=False)


def outcome(
    role: str, codes: list[str], p: float, samples: list[float] | None = None
) -> PartOutcome:
    arr = None if samples is None else np.asarray(samples)
    return PartOutcome(role, "X", "categorical", tuple(codes), p, arr)  # type: ignore[arg-type]


def test_combined_odds_and_shared_im_counter() -> None:
    port = combine(
        [
            outcome("preliminary", ["140"] * 10 + ["999"] * 10, 0.5),
            outcome("primary", ["140"] * 30, 0.6),
            outcome("backup", ["120"] * 40, 0.5),
        ]
    )
    assert [q.role for q in port.parts] == ["primary", "backup", "preliminary"]
    assert port.match_probability_categorical == pytest.approx(1 - 0.4 * 0.5)
    assert port.match_probability_any == pytest.approx(1 - 0.4 * 0.5 * 0.5)
    costs = [q.cost_usd for q in port.parts]
    # prelim IM continues the IM counter past 30 ($30 each); TY has its own counter ($11 each)
    assert costs == [330.0, eras_cost(40), 10 * 30.0 + 10 * 11.0]
    assert port.cost_usd == sum(costs)
    assert port.counts_by_specialty == {"140": 40, "120": 40, "999": 10}


def test_ranges_combine_draw_by_draw() -> None:
    port = combine(
        [outcome("primary", ["140"], 0.5, [0.4, 0.5, 0.6]), outcome("backup", ["120"], 0.5)]
    )
    assert port.categorical_low <= port.match_probability_categorical <= port.categorical_high
    assert port.categorical_low < port.categorical_high
    assert port.parts[1].low == port.parts[1].high == 0.5


def test_roles_are_checked() -> None:
    with pytest.raises(InputError, match="portfolio"):
        combine([outcome("backup", ["120"], 0.3)])
    with pytest.raises(InputError, match="portfolio"):
        combine([outcome("primary", ["140"], 0.3), outcome("primary", ["120"], 0.3)])


@given(unit, unit, unit, st.lists(unit, min_size=3, max_size=3), st.booleans())
def test_adding_a_backup_never_lowers_the_odds(
    p1: float, p2: float, p3: float, draws: list[float], with_prelim: bool
) -> None:
    base = [outcome("primary", ["140"] * 5, p1, draws)]
    if with_prelim:
        base.append(outcome("preliminary", ["999"] * 5, p3))
    more = combine([*base, outcome("backup", ["120"] * 5, p2)])
    less = combine(base)
    assert more.match_probability_any >= less.match_probability_any - 1e-12
    assert more.match_probability_categorical >= less.match_probability_categorical - 1e-12
    assert more.any_high >= less.any_high - 1e-12 and more.any_low >= less.any_low - 1e-12
    for port in (more, less):
        assert 0 <= port.match_probability_categorical <= port.match_probability_any <= 1


def part(role: str, code: str, n: int, seed: int, **kw: object) -> PartInput:
    p = np.random.default_rng(seed).beta(1.2, 8.0, n)
    return PartInput(
        role=role,  # type: ignore[arg-type]
        specialty=code,
        track="preliminary" if role == "preliminary" else "categorical",
        p=p,
        m=saturating_m(40, 0.25),
        fee_codes=np.full(n, code, dtype=object),
        **kw,  # type: ignore[arg-type]
    )


def _pair_grid(plans: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """P(categorical) and cost of every (primary, backup) size pair of the two full curves."""
    pa, pb = plans["primary"].match_probability, plans["backup"].match_probability
    ca, cb = plans["primary"].cost_usd, plans["backup"].cost_usd
    value = 1 - (1 - pa)[:, None] * (1 - pb)[None, :]
    value[~allowed_pairs(len(pa) - 1, len(pb) - 1)] = -1.0  # the chosen specialty first
    return value, ca[:, None] + cb[None, :]


def test_parts_are_sized_together_for_one_target_at_least_cost() -> None:
    # issue 11: each part sized to the target on its own overshot it (95% against 80%)
    parts = [part("primary", "140", 760, 1), part("backup", "120", 840, 2)]
    port, plans = plan_portfolio(parts, target=0.8)
    na, nb = plans["primary"].recommended_count, plans["backup"].recommended_count
    value, cost = _pair_grid(plans)
    assert port.match_probability_categorical >= 0.8
    assert port.match_probability_categorical == pytest.approx(value[na, nb])
    assert port.cost_usd == pytest.approx(cost[na, nb])
    # the cheapest pair reaching the target: nothing cheaper reaches it, no part can shrink
    assert not np.any((value >= 0.8) & (cost < cost[na, nb] - 1e-9))
    assert na == 0 or value[na - 1, nb] < 0.8
    assert nb == 0 or value[na, nb - 1] < 0.8
    assert na >= nb  # the specialty the applicant chose keeps most applications


def test_the_chosen_specialty_is_never_outnumbered_unless_exhausted() -> None:
    ok = allowed_pairs(3, 5)
    assert ok[3, 5] and ok[2, 2] and ok[3, 0]
    assert not ok[2, 3] and not ok[0, 1]


def test_budget_is_shared_to_maximise_categorical_odds() -> None:
    parts = [part("primary", "140", 760, 1), part("backup", "120", 840, 2)]
    free, _ = plan_portfolio(parts, target=0.9)
    budget = free.cost_usd * 0.6
    port, plans = plan_portfolio(parts, target=0.9, budget=budget)
    assert port.cost_usd <= budget
    assert plans["primary"].budget_bound and plans["backup"].budget_bound
    value, cost = _pair_grid(plans)
    best = port.match_probability_categorical
    assert np.all(value[cost <= budget + 1e-9] <= best + 1e-12)  # no affordable pair is better
    assert any("budget" in n for n in port.notes)


@pytest.mark.parametrize("budget", [None, 600.0, 3000.0])
def test_preliminary_part_is_present_when_asked_and_affordable(budget: float | None) -> None:
    # issue 11: with a budget the preliminary part was empty
    parts = [
        part("primary", "140", 760, 1),
        part("backup", "120", 840, 2),
        part("preliminary", "140", 300, 3),
    ]
    port, plans = plan_portfolio(parts, target=0.8, budget=budget)
    assert plans["preliminary"].recommended_count >= PRELIM_MIN
    assert budget is None or port.cost_usd <= budget + 1e-9
    assert port.match_probability_any >= port.match_probability_categorical
    # the prelim list continues the IM counter of the primary list
    n1, n3 = plans["primary"].recommended_count, plans["preliminary"].recommended_count
    assert port.parts[2].cost_usd == eras_cost(n1 + n3) - eras_cost(n1)
    assert plans["preliminary"].cost >= port.parts[2].cost_usd - 1e-9


def test_node_curves_average_to_the_mixture_curve() -> None:
    rng = np.random.default_rng(4)
    st_ = Strength.of(0.8)
    eta = np.sort(rng.normal(-2.5, 1.0, 60))[::-1]
    m = saturating_m(40, 0.25)
    nodes = st_.probabilities(eta)
    per_node = node_curves(nodes, m)
    assert per_node.shape == (61, len(st_.w))
    mixed = mixture_curve(nodes, st_.w, m).match_probability
    np.testing.assert_allclose(st_.w @ per_node.T, mixed, atol=1e-12)


def test_programs_forced_in_stay_even_past_the_budget() -> None:
    # found through `plan --from-list`: when the applicant's own programs cost more than the
    # budget, the categorical parts were emptied and the preliminary part took the budget
    parts = [
        part("primary", "140", 200, 1, include=tuple(range(60))),
        part("backup", "120", 200, 2, include=tuple(range(70))),
        part("preliminary", "140", 100, 3, include=tuple(range(5))),
    ]
    _, plans = plan_portfolio(parts, target=0.8, budget=1500.0)
    assert plans["primary"].recommended_count >= 60
    assert plans["backup"].recommended_count >= 70
    assert plans["primary"].budget_bound and plans["backup"].budget_bound
    assert 5 <= plans["preliminary"].recommended_count <= PRELIM_MIN
