"""The portfolio: primary specialty + optional backup specialty + optional preliminary year.

**One target, one budget.** The parts are sized together (:mod:`.sizing`): the primary and
backup counts are the cheapest pair whose combined P(categorical) reaches the target (or, when
it is out of reach, the best pair at the planner's plateau size within the guide's range for
the whole portfolio), within the budget; the preliminary year then gets its own count on
P(any PGY-1 position), with a floor so that it is present whenever asked for and affordable.

The parts combine as :mod:`.combination` says (odds node by node, shared fee counters).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError
from smartpick.frame import FloatArray
from smartpick.model.strength import Strength
from smartpick.plan.combination import (
    ROLE_ORDER,
    PartOutcome,
    PartSummary,
    Portfolio,
    Role,
    combine,
)
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import Forecast
from smartpick.plan.notes import list_notes
from smartpick.plan.optimise import (
    DEFAULT_OPTIONS,
    CountReason,
    ListPlan,
    Ordering,
    PlanOptions,
    optimise,
    order_list,
)
from smartpick.plan.sizing import PRELIM_MIN, Sizes, preliminary_size, size_grid, sizes_within
from smartpick.plan.tiers import TIERS, TierBands

__all__ = [
    "PartInput",
    "PartOutcome",
    "PartSummary",
    "Portfolio",
    "combine",
    "outcome_of",
    "plan_portfolio",
]


@dataclass(frozen=True, eq=False)
class PartInput:
    """Everything :func:`.optimise.optimise` needs for one part, plus its identity."""

    role: Role
    specialty: str
    track: str
    p: FloatArray  # (n,) interview probabilities of the part's candidates
    m: FloatArray  # (kmax + 1,) M(k) of the part's specialty
    fee_codes: npt.NDArray[np.object_]  # (n,) ERAS specialty code of each candidate
    weights: FloatArray | None = None
    include: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    p_draws: FloatArray | None = None
    m_draws: FloatArray | None = None
    eta: FloatArray | None = None  # (n,) log-odds at strength 0
    eta_draws: FloatArray | None = None  # (d, n)
    strength: Strength | None = None
    bands: TierBands | None = None  # tier bands of this part (relative to the applicant)


def outcome_of(part: PartInput, plan: ListPlan) -> PartOutcome:
    """One part's list reduced to what :func:`.combination.combine` needs."""
    return _outcome(part, plan)


def _outcome(part: PartInput, plan: ListPlan) -> PartOutcome:
    codes = tuple(map(str, part.fee_codes[plan.chosen].tolist()))
    fc = plan.forecast
    return PartOutcome(
        part.role,
        part.specialty,
        part.track,
        codes,
        fc.match_probability,
        fc.samples,
        fc.nodes,
        fc.weights,
        fc.sample_weights,
    )


def _run(
    part: PartInput,
    target: float,
    budget: float | None,
    offsets: Mapping[str, int],
    options: PlanOptions,
) -> ListPlan:
    if part.bands is not None:
        options = replace(options, bands=part.bands)
    return optimise(
        part.p,
        part.m,
        target=target,
        budget=budget,
        weights=part.weights,
        include=part.include,
        exclude=part.exclude,
        p_draws=part.p_draws,
        m_draws=part.m_draws,
        fee_codes=part.fee_codes,
        fee_offsets=offsets,
        options=options,
        eta=part.eta,
        eta_draws=part.eta_draws,
        strength=part.strength,
    )


def _ordering(part: PartInput, options: PlanOptions) -> Ordering:
    """The part's order and curves, per node too, with the fees from a fresh counter."""
    if part.bands is not None:
        options = replace(options, bands=part.bands)
    return order_list(
        part.p,
        part.m,
        weights=part.weights,
        include=part.include,
        exclude=part.exclude,
        p_draws=part.p_draws,
        fee_codes=part.fee_codes,
        fee_offsets={},
        options=options,
        eta=part.eta,
        eta_draws=part.eta_draws,
        strength=part.strength,
        per_node=True,
    )


class _Lists:
    """The lists of one portfolio's parts at the counts the joint sizing chooses.

    A part's forecast depends only on its count: each (part, count) is forecast once per
    :func:`plan_portfolio` call (the sizing runs again when the preliminary year's real cost
    goes back to the categorical parts, often with the same counts)."""

    def __init__(self, parts: Sequence[PartInput], orderings: Mapping[Role, Ordering]) -> None:
        self.parts: dict[Role, PartInput] = {q.role: q for q in parts}
        self.orderings = orderings
        self.forecasts: dict[tuple[Role, int], Forecast] = {}

    def at(
        self, role: Role, count: int, target: float, reason: CountReason, bound: bool
    ) -> ListPlan:
        """The part's list cut (or extended) at ``count`` by the joint sizing, re-forecast.

        Its notes move to the portfolio's (one target, one budget, one set of notes)."""
        part, ordering = self.parts[role], self.orderings[role]
        fc = self.forecasts.get((role, count))
        if fc is None:
            fc = self.forecasts[(role, count)] = ordering.forecast(count, part.m, part.m_draws)
        reached = bool(ordering.curve.match_probability[count] >= target - 1e-12)
        return ordering.plan(count, reason, bound, reached, fc)


def _cost(part: PartInput, ordering: Ordering, counters: Mapping[str, int]) -> FloatArray:
    return eras_cost_sequence(part.fee_codes[ordering.order], counters)


def _counted(parts: Sequence[PartInput], plans: Mapping[str, ListPlan]) -> dict[str, int]:
    counters: Counter[str] = Counter()
    for q in parts:
        counters.update(map(str, q.fee_codes[plans[q.role].chosen].tolist()))
    return dict(counters)


def plan_portfolio(
    parts: Sequence[PartInput],
    *,
    target: float,
    budget: float | None = None,
    options: PlanOptions = DEFAULT_OPTIONS,
) -> tuple[Portfolio, dict[str, ListPlan]]:
    """Plan every part and size them jointly (:mod:`.sizing`); the portfolio and each list.

    One part: its own plan. Several: the primary and backup sizes are chosen together for
    P(categorical) against the one target and budget, then the preliminary year on P(any
    PGY-1) with what is left (a share of the budget kept for it: at most a quarter, enough for
    :data:`.sizing.PRELIM_MIN` programs). The parts' own notes give way to the portfolio's.
    """
    ordered = sorted(parts, key=lambda q: ROLE_ORDER[q.role])
    if len(ordered) == 1:
        plan = _run(ordered[0], target, budget, {}, options)
        return combine([_outcome(ordered[0], plan)]), {ordered[0].role: plan}
    if not 0.0 < target <= 1.0:
        raise InputError(f"{target}", field="target_match_probability", allowed="0 < x ≤ 1")
    # every part is sized (and forecast) below, from its order and curves
    full = {q.role: _ordering(q, options) for q in ordered}
    lists = _Lists(ordered, full)
    cat = [q for q in ordered if q.role != "preliminary"]
    pre = next((q for q in ordered if q.role == "preliminary"), None)
    curves = [_node_curve(full[q.role]) for q in cat]
    pre_curve = None if pre is None else _node_curve(full[pre.role])
    w = full[cat[0].role].strength.w
    if len(cat) == 2:
        pair = (curves[0], curves[1])
        costs = (full[cat[0].role].cost_usd, full[cat[1].role].cost_usd)
        forced = (len(cat[0].include), len(cat[1].include))
    else:
        q_nodes = curves[0].shape[1]
        pair = (curves[0], np.zeros((1, q_nodes)))
        costs = (full[cat[0].role].cost_usd, np.zeros(1))
        forced = (len(cat[0].include), 0)
    reserve = 0.0
    if pre is not None and budget is not None and len(full[pre.role].order):
        worst = {str(c): 10**6 for c in pre.fee_codes}  # every program at the higher fee
        first = _cost(pre, full[pre.role], worst)[min(PRELIM_MIN, len(full[pre.role].order))]
        reserve = min(float(first), budget / 4.0)
    lo, hi = options.guide_range  # the guide's range is per core specialty
    cat_options = replace(options, guide_range=(lo * len(cat), hi * len(cat)))
    grid = size_grid(pair, costs, w, target=target, forced=forced, options=cat_options)

    def size_all(left: float | None) -> tuple[Sizes, dict[str, ListPlan]]:
        sizes = sizes_within(grid, left)
        plans: dict[str, ListPlan] = {
            q.role: lists.at(q.role, n, target, sizes.reason, sizes.budget_bound)
            for q, n in zip(cat, sizes.counts, strict=False)
        }
        if pre is not None and pre_curve is not None:
            fails = [1.0 - c[n] for c, n in zip(curves, sizes.counts, strict=False)]
            miss = w * np.prod(fails, axis=0)
            spent = sum(plans[q.role].cost for q in cat)
            n3, why3, bound3 = preliminary_size(
                pre_curve,
                miss,
                _cost(pre, full[pre.role], _counted(cat, plans)),
                target=target,
                budget=None if budget is None else max(0.0, budget - spent),
                forced=len(pre.include),
                options=options,
            )
            plans[pre.role] = lists.at(pre.role, n3, target, why3, bound3)
        return sizes, plans

    sizes, plans = size_all(None if budget is None else budget - reserve)
    if pre is not None and budget is not None:
        # what the preliminary list really costs goes back to the categorical parts
        again = size_all(budget - plans[pre.role].cost)
        if sum(p.cost for p in again[1].values()) <= budget + 1e-9:
            sizes, plans = again
    notes = _portfolio_notes(sizes, plans, target, cat_options)
    outcomes = [_outcome(q, plans[q.role]) for q in ordered]
    return replace(combine(outcomes), notes=notes), plans


def _node_curve(ordering: Ordering) -> FloatArray:
    """P(match | u_q) of every prefix of the part's order (n + 1, q), from its curve's pass."""
    nodes = ordering.curve.nodes
    if nodes is None:  # pragma: no cover - order_list(per_node=True) keeps them
        raise ValueError("the part's per-node curve was not kept")
    return nodes


def _portfolio_notes(
    sizes: Sizes, plans: Mapping[str, ListPlan], target: float, options: PlanOptions
) -> tuple[str, ...]:
    """The list notes of :mod:`.optimise` on the categorical frontier, at the chosen sizes."""
    n = sum(sizes.counts)
    path = sizes.frontier.copy()
    cost = sizes.frontier_cost.copy()
    path[n], cost[n] = sizes.match_probability, sizes.cost_usd
    counts = {t: sum(p.tier_counts.get(t, 0) for p in plans.values()) for t in TIERS}
    reached = sizes.match_probability >= target - 1e-12
    out = list(
        list_notes(
            path, cost, n, sizes.reason, sizes.budget_bound, reached, target, counts, options
        )
    )
    if sizes.budget_bound and sizes.target_count is not None:
        out.append(
            f"Within the budget the sizes of the parts were chosen together; reaching your "
            f"target would take {sizes.target_count} programs in all."
        )
    return tuple(out)
