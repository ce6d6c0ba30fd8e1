"""The order of one part's list and the curves of its every prefix (what a list of any size is
read from).

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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError, ModelError
from smartpick.frame import FloatArray, IntArray, ObjArray
from smartpick.model.strength import Strength, log_odds
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import Curve, Forecast, forecast, mixture_curve, weighted_percentiles
from smartpick.plan.kernels import mixed_order
from smartpick.plan.options import DEFAULT_OPTIONS, RANGE_NODES, CountReason, PlanOptions
from smartpick.plan.tiers import TIERS, tier_codes

__all__ = ["ListPlan", "Ordering", "forecast_list", "log_odds_of", "order_list"]


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
    arr = np.asarray(values, dtype=np.int64).ravel()
    arr = np.unique(arr) if arr.size else arr
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
    ranked = np.sort(pool)  # one stable sort by value: ties keep the lower index first
    ranked = ranked[np.argsort(-value[ranked], kind="stable")]
    tier = codes[ranked]
    queues = [ranked[tier == t] for t in range(3)]  # each tier's queue, in that order
    counts = np.bincount(codes[start], minlength=3).astype(np.float64)
    aim = np.asarray(options.mix.aim(), dtype=np.float64)
    keep = 1.0 - options.mix_tolerance
    return mixed_order(value, (queues[0], queues[1], queues[2]), counts, aim, keep, start)


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
        the strength's spread only, read from the curve's pass when it kept its nodes)."""
        if self.curve.nodes is not None and not (
            draws and (self.eta_draws is not None or m_draws is not None)
        ):
            return self._point_forecast(count)
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

    def _point_forecast(self, count: int) -> Forecast:
        """:func:`.forecast.forecast` without draws, from the curve's pass at ``count``: its
        P(match | u_q) and interview quantiles (the same programme; its sums over nodes and
        bins add up in the kernel's order, a difference of about 1e-16)."""
        c, w = self.curve, self.strength.w
        if c.nodes is None:  # pragma: no cover - callers check
            raise ValueError("the curve's nodes were not kept")
        node_p = c.nodes[count]
        point = float(np.clip(w @ node_p, 0.0, 1.0))
        lo, hi = weighted_percentiles(node_p, w)
        ek = float(w @ self.nodes[:, :count].sum(axis=1))
        k_lo, k_hi = float(c.interviews_low[count]), float(c.interviews_high[count])
        return Forecast(point, min(lo, point), max(hi, point), ek, k_lo, k_hi, 0, w, node_p, None)

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
    both = np.intersect1d(inc, exc) if inc.size and exc.size else inc[:0]
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
