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
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError, ModelError
from smartpick.frame import FloatArray, IntArray, ObjArray
from smartpick.model.strength import Strength, log_odds
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import Forecast, forecast, mixture_curve
from smartpick.plan.tiers import DEFAULT_MIX, TIERS, TierBands, TierMix, tier_codes

__all__ = [
    "DEFAULT_OPTIONS",
    "RANGE_NODES",
    "CountReason",
    "ListPlan",
    "PlanOptions",
    "forecast_list",
    "log_odds_of",
    "optimise",
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
    """Greedy order of ``pool`` after the forced ``start`` programs (see module docstring).

    Each step compares only the heads of the tier queues (plain Python floats); once a single
    tier has programs left, every further pick is its next head, so its queue is the rest.
    """
    aim = [float(a) for a in options.mix.aim()]
    counts = np.bincount(codes[start], minlength=3).astype(np.float64).tolist()
    vals = value.tolist()
    queues: list[list[int]] = []
    for t in range(3):
        members = pool[codes[pool] == t]
        queues.append(members[np.lexsort((members, -value[members]))].tolist())
    heads = [0, 0, 0]
    out: list[int] = start.tolist()
    keep = 1.0 - options.mix_tolerance
    total = float(len(out))
    for _ in range(len(pool)):
        live = [t for t in range(3) if heads[t] < len(queues[t])]
        if len(live) == 1:
            out.extend(queues[live[0]][heads[live[0]] :])
            break
        if total == 0 and (1 in live or 2 in live):
            live = [t for t in live if t != 0]  # never open the list with a reach
        head = [vals[queues[t][heads[t]]] for t in live]
        floor = keep * max(head)
        pick, best = -1, (0.0, 0.0)
        for t, h in zip(live, head, strict=True):
            # the tier furthest below its aimed-for share, then the better head (first wins)
            key = (aim[t] * (total + 1.0) - counts[t], h)
            if h >= floor and (pick < 0 or key > best):
                pick, best = t, key
        out.append(queues[pick][heads[pick]])
        heads[pick] += 1
        counts[pick] += 1.0
        total += 1.0
    return np.asarray(out, dtype=np.int64)


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
    pa = np.asarray(p, dtype=np.float64)
    if pa.ndim != 1 or (pa.size and (not np.all(np.isfinite(pa)) or pa.min() < 0 or pa.max() > 1)):
        raise ModelError("p: expected a 1-D array of probabilities within [0, 1]")
    n = len(pa)
    if not 0.0 < target <= 1.0:
        raise InputError(f"{target}", field="target_match_probability", allowed="0 < x ≤ 1")
    if budget is not None and not budget >= 0:
        raise InputError(f"{budget}", field="budget_usd", allowed="a number ≥ 0")
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
    mc = mixture_curve(st.probabilities(e[order]), st.w, m, per_node=resized)
    curve = mc.match_probability
    codes_in_order = (
        np.full(len(order), "", dtype=object)
        if fee_codes is None
        else np.asarray(fee_codes, dtype=object)[order]
    )
    cost = eras_cost_sequence(codes_in_order, fee_offsets)
    count, why, bound, reached = recommended_count(
        curve, cost, target=target, budget=budget, forced=len(inc), options=options
    )
    chosen = order[:count]
    fc = (
        forecast_list(e, st, m, chosen)
        if resized
        else forecast_list(e, st, m, chosen, e_draws, m_draws)
    )
    tiers = np.asarray(np.array(TIERS, dtype=object)[codes[order]], dtype=object)
    counts = {t: int(np.count_nonzero(codes[chosen] == i)) for i, t in enumerate(TIERS)}
    return ListPlan(
        order=order,
        recommended_count=count,
        count_reason=why,
        budget_bound=bound,
        target_reached=reached,
        applications=np.arange(len(order) + 1, dtype=np.int64),
        match_probability=curve,
        expected_interviews=mc.expected_interviews,
        interviews_low=mc.interviews_low,
        interviews_high=mc.interviews_high,
        cost_usd=cost,
        tiers=tiers,
        tier_counts=counts,
        forecast=fc,
        notes=_notes(curve, cost, count, why, bound, reached, target, counts, options),
        node_curve=mc.nodes,
    )


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


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _notes(
    curve: FloatArray,
    cost: FloatArray,
    count: int,
    why: CountReason,
    bound: bool,
    reached: bool,
    target: float,
    counts: dict[str, int],
    options: PlanOptions,
) -> tuple[str, ...]:
    out: list[str] = []
    n = len(curve) - 1
    if why == "empty":
        out.append("No program is left to list after the screens and exclusions.")
        return tuple(out)
    hits = np.flatnonzero(curve >= target - 1e-12)
    if bound:
        text = (
            f"Your budget limits the list to {count} programs (${cost[count]:,.0f}, "
            f"P(match) {_pct(curve[count])})"
        )
        if hits.size:
            need = int(hits[0])
            text += f"; {need} programs (${cost[need]:,.0f}) would reach your {_pct(target)} target"
        out.append(text + ".")
    if why == "unreachable" or (bound and not hits.size):
        best = float(curve[n])
        lo, hi = options.guide_range
        marks = sorted({min(k, n) for k in (lo, (lo + hi) // 2, hi)})
        odds = ", ".join(f"{k} programs {_pct(curve[k])}" for k in marks)
        far = (
            f"reaching it would take {int(hits[0])} programs (${cost[int(hits[0])]:,.0f}), "
            f"where every further {options.plateau_window} add under "
            f"{100 * options.plateau_gain:.0f} percentage point"
            if hits.size
            else f"even all {n} listable programs give {_pct(best)}"
        )
        out.append(
            f"Your target of {_pct(target)} is out of reach: {far}. Across the guide's range "
            f"of {lo}-{hi}+ programs: {odds}. The list is set at {count} programs "
            f"({_pct(curve[count])}); the strategy steps are what can raise the odds."
        )
    if count:
        share = {t: counts[t] / count for t in TIERS}
        if counts["target"] == 0 and counts["safety"] == 0:
            out.append(
                "Every listed program is a reach: no target or safety program is "
                "available; consider a backup specialty."
            )
        ranges = options.mix.ranges()
        if any(not lo - 1e-9 <= share[t] <= hi + 1e-9 for t, (lo, hi) in ranges.items()):
            have = ", ".join(f"{_pct(share[t])} {t}" for t in TIERS)
            guide = ", ".join(f"{_pct(lo)}-{_pct(hi)} {t}" for t, (lo, hi) in ranges.items())
            out.append(
                f"Tier mix: {have} (guide for a low score: {guide}). The list follows your "
                "odds; the guide's mix only decides between near-equal programs."
            )
    return tuple(out)
