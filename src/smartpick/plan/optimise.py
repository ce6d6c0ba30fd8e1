"""The list: which programs, in which order, how many, at what cost.

**Order.** Adding program j to a list changes P(match) by ``p_j · E[M(K + 1) − M(K)]``, where K
counts the interviews from the programs already listed. The second factor is ≥ 0 (M never
decreases) and the same for every candidate, so the best next program is always the one with the
highest interview probability p. Moreover P(match) never falls when any p rises, so for every
size n the n programs with the highest p form the best list of that size: the greedy order by p
gives the optimal curve, not just a good one.

**Under the strength mixture** (:mod:`.forecast`) the same holds: every program's
``p_j(u) = expit(eta_j + u)`` is increasing in ``eta_j`` at every strength ``u``, so the programs
ranked by ``eta`` (equivalently by their marginal p) are ranked the same way at every node; at
each node the top-n list is the best list of size n (the argument above, given u), so its
average over u beats the average of any other n-list, node by node. ``tests/plan/test_optimise``
checks this against brute force on small lists.

The planner orders by ``value = p × weight`` (soft preferences, :mod:`.preferences`); with all
weights 1 this is exactly the optimal order above.

**Tier mix.** The list is built one program at a time from the best remaining program of each
tier. When the best programs of several tiers are within ``mix_tolerance`` (15 %) of the best
value, the planner takes the one whose tier is furthest below the aimed-for mix (the guide's
20-25 % reach, 40-50 % target, 30-40 % safety; midpoints normalised), i.e. the tier with the
largest ``aim × (size + 1) − count``. Each such choice gives up at most 15 % of one program's
marginal gain. Programs are never added for the mix alone. The list never opens with a reach
while a target or safety program is listable, so a list is "all reach" only when no target or
safety program exists (then a note says so) or the user forced only reaches in.

**Forced programs.** ``include`` programs come first (best value first); ``exclude`` programs are
never listed.

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
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError, ModelError
from smartpick.frame import FloatArray, IntArray, ObjArray
from smartpick.model.strength import Strength, log_odds
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import Curve, Forecast, forecast, mixture_curve
from smartpick.plan.kernels import mixed_order
from smartpick.plan.notes import list_notes
from smartpick.plan.tiers import DEFAULT_MIX, TIERS, TierBands, TierMix, tier_codes

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

#: Strength nodes behind the range over parameter draws (the point uses NODES).
RANGE_NODES = 8

CountReason = Literal["target", "unreachable", "forced", "budget", "empty"]


@dataclass(frozen=True)
class PlanOptions:
    """Tunable rules of the planner (defaults documented in docs/planner.md)."""

    bands: TierBands = field(default_factory=TierBands)
    mix: TierMix = DEFAULT_MIX
    mix_tolerance: float = 0.15  # relative value gap treated as "near-equal"
    plateau_window: int = 10  # programs
    plateau_gain: float = 0.01  # P(match) gain over the window that still counts
    low_odds_share: float = 0.5  # never stop before this share of the best reachable P(match)
    guide_range: tuple[int, int] = (80, 120)  # the guide's programs for a core specialty

    def __post_init__(self) -> None:
        if not 0.0 <= self.mix_tolerance < 1.0:
            raise InputError(f"{self.mix_tolerance}", field="mix_tolerance", allowed="0 ≤ x < 1")
        if self.plateau_window < 1:
            raise InputError(f"{self.plateau_window}", field="plateau_window", allowed="≥ 1")
        if not 0.0 < self.plateau_gain < 1.0:
            raise InputError(f"{self.plateau_gain}", field="plateau_gain", allowed="0 < x < 1")


#: The documented defaults.
DEFAULT_OPTIONS = PlanOptions()


@dataclass(frozen=True, eq=False)
class ListPlan:
    """The planned list of one part (one specialty and track)."""

    order: IntArray  # every listable candidate index, in the order the planner adds them
    recommended_count: int
    count_reason: CountReason
    budget_bound: bool
    target_reached: bool
    applications: IntArray  # 0..len(order)
    match_probability: FloatArray  # P(match) of the first n programs of ``order``
    expected_interviews: FloatArray  # E[K] of the first n programs
    interviews_low: FloatArray  # 10th percentile of K of the first n programs
    interviews_high: FloatArray  # 90th percentile of K of the first n programs
    cost_usd: FloatArray  # ERAS fees of the first n programs
    tiers: ObjArray  # tier of every program of ``order``
    tier_counts: dict[str, int]  # of the recommended list
    forecast: Forecast  # of the recommended list (range from draws when given)
    notes: tuple[str, ...]
    node_curve: FloatArray | None = None  # (len(order) + 1, q) P(match | u_q), when asked for

    @property
    def chosen(self) -> IntArray:
        """Indices of the recommended list, in order."""
        return self.order[: self.recommended_count]

    @property
    def cost(self) -> float:
        """ERAS fees of the recommended list."""
        return float(self.cost_usd[self.recommended_count])


def _index_set(values: Sequence[int] | npt.ArrayLike, n: int, name: str) -> IntArray:
    arr = np.unique(np.asarray(values, dtype=np.int64).ravel())
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise InputError(f"index out of range for {n} programs", field=name)
    return arr


def _mixed_order(
    value: FloatArray,
    codes: npt.NDArray[np.int8],
    start: IntArray,
    pool: IntArray,
    options: PlanOptions,
) -> IntArray:
    """Greedy order of ``pool`` after the forced ``start`` programs (see module docstring):
    the tier queues (best value first, ties: the lower index), merged by
    :func:`.kernels.mixed_order`."""
    queues: list[IntArray] = []
    for t in range(3):
        members = pool[codes[pool] == t]
        queues.append(members[np.lexsort((members, -value[members]))])
    counts = np.bincount(codes[start], minlength=3).astype(np.float64)
    aim = np.asarray(options.mix.aim(), dtype=np.float64)
    keep = 1.0 - options.mix_tolerance
    return mixed_order(value, (queues[0], queues[1], queues[2]), counts, aim, keep, start)


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


@dataclass(frozen=True, eq=False)
class Ordering:
    """One part's listable candidates in the planner's order, with every prefix's curves: what
    a list of any count is read from (:func:`optimise`, and the joint sizing of a portfolio)."""

    order: IntArray  # every listable candidate index, in the order the planner adds them
    codes: npt.NDArray[np.int8]  # tier code of every candidate (not only the listed)
    forced: int  # programs forced in (the first of ``order``)
    curve: Curve  # every prefix of ``order``
    cost_usd: FloatArray  # (len(order) + 1,) ERAS fees of every prefix
    nodes: FloatArray  # (q, len(order)) p_j(u_q) of ``order``, at the point parameters
    eta: FloatArray  # (n,) log-odds of every candidate at strength 0
    eta_draws: FloatArray | None  # (d, n)
    strength: Strength

    def forecast(
        self, count: int, m: npt.ArrayLike, m_draws: npt.ArrayLike | None = None, draws: bool = True
    ) -> Forecast:
        """The forecast of the first ``count`` programs (:func:`forecast_list`; the point's
        probabilities are those of the curve, the same numbers); ``draws=False``: the point and
        the strength's spread only."""
        chosen = self.order[:count]
        coarse = Strength.of(self.strength.tau, RANGE_NODES)
        e_draws = self.eta_draws if draws else None
        pd = None if e_draws is None else coarse.probabilities(e_draws[:, chosen])
        return forecast(
            self.nodes[:, :count],
            m,
            pd,
            m_draws if draws else None,
            weights=self.strength.w,
            draw_weights=coarse.w,
        )

    def plan(
        self,
        count: int,
        why: CountReason,
        bound: bool,
        reached: bool,
        forecast: Forecast,
        notes: tuple[str, ...] = (),
    ) -> ListPlan:
        """The list of the first ``count`` programs (its forecast and notes given)."""
        tiers = np.asarray(np.array(TIERS, dtype=object)[self.codes[self.order]], dtype=object)
        have = np.bincount(self.codes[self.order[:count]], minlength=3)
        c = self.curve
        return ListPlan(
            order=self.order,
            recommended_count=count,
            count_reason=why,
            budget_bound=bound,
            target_reached=reached,
            applications=np.arange(len(self.order) + 1, dtype=np.int64),
            match_probability=c.match_probability,
            expected_interviews=c.expected_interviews,
            interviews_low=c.interviews_low,
            interviews_high=c.interviews_high,
            cost_usd=self.cost_usd,
            tiers=tiers,
            tier_counts={t: int(have[i]) for i, t in enumerate(TIERS)},
            forecast=forecast,
            notes=notes,
            node_curve=c.nodes,
        )


def order_list(
    p: npt.ArrayLike,
    m: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    include: Sequence[int] | npt.ArrayLike = (),
    exclude: Sequence[int] | npt.ArrayLike = (),
    p_draws: npt.ArrayLike | None = None,
    fee_codes: npt.ArrayLike | None = None,
    fee_offsets: Mapping[str, int] | None = None,
    options: PlanOptions = DEFAULT_OPTIONS,
    eta: npt.ArrayLike | None = None,
    eta_draws: npt.ArrayLike | None = None,
    strength: Strength | None = None,
    per_node: bool = False,
) -> Ordering:
    """The order of one part's list and its curves (the arguments of :func:`optimise`);
    ``per_node``: also P(match | u_q) of every prefix (``curve.nodes``, same pass)."""
    pa = np.asarray(p, dtype=np.float64)
    if pa.ndim != 1 or (pa.size and (not np.all(np.isfinite(pa)) or pa.min() < 0 or pa.max() > 1)):
        raise ModelError("p: expected a 1-D array of probabilities within [0, 1]")
    n = len(pa)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,) or (n and (not np.all(np.isfinite(w)) or w.min() <= 0)):
        raise InputError("expected one positive weight per program", field="weights")
    inc = _index_set(include, n, "include")
    exc = _index_set(exclude, n, "exclude")
    both = np.intersect1d(inc, exc)
    if both.size:
        raise InputError(
            f"programs {both.tolist()} are both included and excluded", field="include"
        )
    value = pa * w
    codes = tier_codes(pa, options.bands)
    start = inc[np.lexsort((inc, -value[inc]))]
    listable = np.ones(n, dtype=bool)
    listable[inc] = False
    listable[exc] = False
    order = _mixed_order(value, codes, start, np.flatnonzero(listable), options)

    e, e_draws, st = log_odds_of(pa, eta, p_draws, eta_draws, strength)
    if e.shape != (n,):
        raise ModelError(f"eta: expected {n} log-odds, got shape {e.shape}")
    nodes = st.probabilities(e[order])
    mc = mixture_curve(nodes, st.w, m, per_node=per_node)
    codes_in_order = (
        np.full(len(order), "", dtype=object)
        if fee_codes is None
        else np.asarray(fee_codes, dtype=object)[order]
    )
    cost = eras_cost_sequence(codes_in_order, fee_offsets)
    return Ordering(order, codes, len(inc), mc, cost, nodes, e, e_draws, st)


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


def log_odds_of(
    p: npt.ArrayLike,
    eta: npt.ArrayLike | None,
    p_draws: npt.ArrayLike | None,
    eta_draws: npt.ArrayLike | None,
    strength: Strength | None,
) -> tuple[FloatArray, FloatArray | None, Strength]:
    """The log-odds (and draws) a list is forecast from, with the strength they go with.

    Given ``eta`` they are used with ``strength``; given only probabilities, they are the
    probabilities' log-odds with no shared strength (independent programs).
    """
    if eta is None:
        e_draws = None if p_draws is None else log_odds(p_draws)
        return log_odds(p), e_draws, Strength.none()
    e = np.asarray(eta, dtype=np.float64)
    e_draws = None if eta_draws is None else np.asarray(eta_draws, dtype=np.float64)
    return e, e_draws, strength if strength is not None else Strength.none()


def forecast_list(
    eta: FloatArray,
    strength: Strength,
    m: npt.ArrayLike,
    chosen: IntArray,
    eta_draws: FloatArray | None = None,
    m_draws: npt.ArrayLike | None = None,
) -> Forecast:
    """The forecast of the programs ``chosen`` (indices into ``eta``) under the strength.

    The point uses the strength's nodes; the range over parameter draws uses
    ``RANGE_NODES`` of them (a percentile needs less precision than the point).
    """
    nodes = strength.probabilities(eta[chosen])
    coarse = Strength.of(strength.tau, RANGE_NODES)
    pd = None if eta_draws is None else coarse.probabilities(eta_draws[:, chosen])
    return forecast(nodes, m, pd, m_draws, weights=strength.w, draw_weights=coarse.w)
