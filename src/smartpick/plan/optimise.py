"""The list: how many programs, at what cost; one part's whole plan (:func:`optimise`).

The order and its curves are :mod:`.ordering`'s; the planner's rules are :mod:`.options`'.

**Recommended count.** The smallest list whose P(match) reaches the target. If the curve
flattens before it (every further 10 programs add less than 1 percentage point) or no list
reaches it, the target is out of reach ("unreachable"): the count is that plateau, kept within
the guide's range for a core specialty ("80-120+ programs", ``guide_range``), since a plateau
beyond it sends the applicant to many programs for a target they cannot reach; the notes say so
plainly and show the odds across the range. Never fewer than the forced programs; never more
than the budget pays for (``budget_bound`` says when it binds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError
from smartpick.frame import FloatArray
from smartpick.model.strength import Strength
from smartpick.plan.notes import list_notes
from smartpick.plan.options import DEFAULT_OPTIONS, RANGE_NODES, CountReason, PlanOptions
from smartpick.plan.ordering import ListPlan, Ordering, forecast_list, log_odds_of, order_list
from smartpick.plan.ordering import _mixed_order as _mixed_order

__all__ = [
    "DEFAULT_OPTIONS",
    "RANGE_NODES",
    "CountReason",
    "ListPlan",
    "Ordering",
    "PlanOptions",
    "forecast_list",
    "log_odds_of",
    "optimise",
    "order_list",
    "recommended_count",
]


def recommended_count(
    curve: FloatArray,
    cost: FloatArray,
    *,
    target: float,
    budget: float | None,
    forced: int = 0,
    options: PlanOptions = DEFAULT_OPTIONS,
) -> tuple[int, CountReason, bool, bool]:
    """(count, why, budget_bound, target_reached) for a P(match) curve and its cost curve."""
    n = len(curve) - 1
    if n == 0:
        return 0, "empty", False, False
    reached = np.flatnonzero(curve >= target - 1e-12)
    ahead = curve[np.minimum(np.arange(n + 1) + options.plateau_window, n)]
    rising = np.flatnonzero(ahead - curve >= options.plateau_gain)
    plateau = int(rising[-1]) + 1 if rising.size else 0
    why: CountReason
    # the smallest list that reaches the target, unless the curve flattens out before it
    if reached.size and int(reached[0]) <= plateau:
        count, why = int(reached[0]), "target"
    else:
        # out of reach within a sensible list: the plateau, kept within the guide's range
        count, why = plateau, "unreachable"
        best = float(curve[n])
        if best > 0 and curve[plateau] < options.low_odds_share * best:
            # the curve is flat from the start (every program adds little): the absolute rule
            # would stop almost at once; extend to the list that gets this share of the best
            count = int(np.flatnonzero(curve >= options.low_odds_share * best - 1e-12)[0])
        lo, hi = options.guide_range
        count = int(min(max(count, min(lo, n)), hi, n))
    if forced > count:
        count, why = forced, "forced"
    bound = False
    if budget is not None:
        affordable = int(np.flatnonzero(cost <= budget + 1e-9)[-1])
        if count > affordable:
            count, why, bound = affordable, "budget", True
    return count, why, bound, bool(reached.size and reached[0] <= count)


def optimise(
    p: npt.ArrayLike,
    m: npt.ArrayLike,
    *,
    target: float,
    budget: float | None = None,
    weights: npt.ArrayLike | None = None,
    include: Sequence[int] | npt.ArrayLike = (),
    exclude: Sequence[int] | npt.ArrayLike = (),
    p_draws: npt.ArrayLike | None = None,
    m_draws: npt.ArrayLike | None = None,
    fee_codes: npt.ArrayLike | None = None,
    fee_offsets: Mapping[str, int] | None = None,
    options: PlanOptions = DEFAULT_OPTIONS,
    eta: npt.ArrayLike | None = None,
    eta_draws: npt.ArrayLike | None = None,
    strength: Strength | None = None,
    resized: bool = False,
) -> ListPlan:
    """Plan one part's list from candidate interview probabilities ``p`` (n,) and M(k).

    ``weights`` (n,) in (0, 1] are soft preferences (:func:`.preferences.preference_weights`);
    ``include`` / ``exclude`` are candidate indices forced in / out; ``budget`` caps ERAS fees
    of this part (USD); ``p_draws`` (d, n) / ``m_draws`` give the forecast its range.
    ``eta`` (n,) / ``eta_draws`` (d, n) are the programs' log-odds at strength 0 and
    ``strength`` the applicant's unobserved strength: when given, the curve and the forecast
    integrate over it (interviews move together); ``p`` must then be its marginal.
    ``fee_codes`` (n,) names each program's ERAS specialty (default: one specialty) and
    ``fee_offsets`` the programs per specialty already counted in other parts.
    ``resized``: the list will be re-sized and re-forecast by the joint sizing of a portfolio
    (:mod:`.portfolio`), which needs its per-node curve (``node_curve``, from the same pass as
    the curve) and not the range of this count's forecast (its forecast is then the point and
    the strength's spread only, ``draws == 0``).
    """
    if not 0.0 < target <= 1.0:
        raise InputError(f"{target}", field="target_match_probability", allowed="0 < x ≤ 1")
    if budget is not None and not budget >= 0:
        raise InputError(f"{budget}", field="budget_usd", allowed="a number ≥ 0")
    ordering = order_list(
        p,
        m,
        weights=weights,
        include=include,
        exclude=exclude,
        p_draws=p_draws,
        fee_codes=fee_codes,
        fee_offsets=fee_offsets,
        options=options,
        eta=eta,
        eta_draws=eta_draws,
        strength=strength,
        per_node=resized,
    )
    curve, cost = ordering.curve.match_probability, ordering.cost_usd
    count, why, bound, reached = recommended_count(
        curve, cost, target=target, budget=budget, forced=ordering.forced, options=options
    )
    fc = ordering.forecast(count, m, m_draws, draws=not resized)
    plan = ordering.plan(count, why, bound, reached, fc)
    notes = list_notes(curve, cost, count, why, bound, reached, target, plan.tier_counts, options)
    return replace(plan, notes=notes)
