"""Joint sizing of a portfolio: one target and one budget for all parts together.

Each part's programs are already in their best order (:mod:`.ordering`); what remains is how
many of each. ``C_i[n, q]`` is part i's P(match) with its first n programs at strength node q
(:func:`node_curves`); the parts combine node by node (:mod:`.combination`), so for the primary
and backup specialties

    P(categorical | n1, n2) = 1 − Σ_q w_q (1 − C_1[n1, q]) (1 − C_2[n2, q]),

which for every pair of sizes at once is one matrix product (:func:`size_grid`, each sum in one
fixed order, :func:`.kernels.grid_product`). The search over
that whole grid (:func:`sizes_within`) finds the cheapest pair that reaches the target (exact,
not greedy: no part can be cut without falling below it), or, when the target is out of reach,
the best pair at the size the planner's rule gives on the frontier G(N) (best P, n1 + n2 = N)
(plateau within the guide's range, :func:`.optimise.recommended_count`), and within
the budget the best pair that fits. The pairs searched keep the specialty the applicant chose
first: the primary list is never shorter than the backup list unless every listable primary
program is already on it (:func:`allowed_pairs`; without it the cheapest pair for an Internal
Medicine applicant could be all Family Medicine, a plan nobody asked for). The preliminary year
is sized after them on P(any PGY-1 position) (:func:`preliminary_size`), with a floor so that it
is present whenever asked for and affordable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray
from smartpick.plan.kernels import pair_scan, run_programmes
from smartpick.plan.optimise import CountReason, PlanOptions, recommended_count

__all__ = [
    "PRELIM_MIN",
    "SizeGrid",
    "Sizes",
    "allowed_pairs",
    "node_curves",
    "preliminary_size",
    "size_grid",
    "sizes_within",
]

#: Fewest preliminary programs listed when the applicant asks for a preliminary year and the
#: budget allows (our rule: a fallback of a handful of programs is not a fallback).
PRELIM_MIN = 10


def node_curves(nodes: npt.ArrayLike, m: npt.ArrayLike) -> FloatArray:
    """P(match | u_q) of every prefix of a list: ``nodes`` (q, n) in list order → (n + 1, q).

    The exact Poisson-binomial programme of :mod:`.forecast` (:func:`.kernels.run_programmes`),
    kept per node (the last bin of M absorbs K ≥ kmax).
    """
    p = np.asarray(nodes, dtype=np.float64)
    mm = np.ascontiguousarray(m, dtype=np.float64)
    q, n = p.shape
    pmf = np.zeros((len(mm), q))
    pmf[0] = 1.0
    out = np.empty((n + 1, q))
    run_programmes(pmf, np.ascontiguousarray(p.T), m=mm, node=out)
    return np.clip(out, 0.0, 1.0)


@dataclass(frozen=True)
class Sizes:
    """Programs per part, why that many, and the frontier behind the choice."""

    counts: tuple[int, ...]
    reason: CountReason
    budget_bound: bool
    match_probability: float
    cost_usd: float
    frontier: FloatArray  # G(N): the best P(match) with N programs in all
    frontier_cost: FloatArray  # cost of the pair behind G(N)
    target_count: int | None  # programs in all of the cheapest pair reaching the target


def allowed_pairs(n1_max: int, n2_max: int) -> npt.NDArray[np.bool_]:
    """(n1_max + 1, n2_max + 1): True where the primary list n1 is at least the backup list n2,
    or holds every listable primary program (n1 = n1_max)."""
    n1 = np.arange(n1_max + 1)[:, None]
    n2 = np.arange(n2_max + 1)[None, :]
    return np.asarray((n1 >= n2) | (n1 == n1_max), dtype=np.bool_)


@dataclass(frozen=True, eq=False)
class SizeGrid:
    """P(categorical) of every pair of list sizes with its frontier: all of the sizing that
    does not depend on the budget (one grid, several budgets: :func:`sizes_within`)."""

    f: FloatArray  # (N1 + 1, N2 + 1) P(categorical); -1 where the pair is not allowed
    costs: tuple[FloatArray, FloatArray]
    frontier: FloatArray  # G(N), non-decreasing from the forced programs on
    frontier_cost: FloatArray  # cost of the pair behind G(N)
    frontier_at: FloatArray  # n1 of the pair behind G(N)
    cheapest: tuple[int, int] | None  # the cheapest pair reaching the target
    total: int  # the planner's total size on the frontier
    reason: CountReason  # why that total (before the budget)


def size_grid(
    curves: tuple[FloatArray, FloatArray],
    costs: tuple[FloatArray, FloatArray],
    w: FloatArray,
    *,
    target: float,
    forced: tuple[int, int] = (0, 0),
    options: PlanOptions,
) -> SizeGrid:
    """The :class:`SizeGrid` of the node curves and costs of both parts."""
    c1, c2 = curves
    a = np.ascontiguousarray((1.0 - c1) * w)  # (N1 + 1, q)
    bt = np.ascontiguousarray((1.0 - c2).T)  # (q, N2 + 1)
    f = np.empty((len(c1), len(c2)))
    # f = a @ bt, both fail (each sum in one fixed order: kernels.grid_product), computed by
    # pair_scan where the pair is allowed (the chosen specialty first, forced programs stay):
    # P = clip(1 - f, 0, 1), the frontier and the cheapest pair reaching the target, in one
    # pass over the grid
    g, gc, g1, cheapest = pair_scan(f, costs[0], costs[1], forced, target - 1e-12, (a, bt))
    lead = forced[0] + forced[1]
    g_ok = np.maximum.accumulate(np.where(np.arange(len(g)) < lead, 0.0, g))
    n_all, why, _, _ = recommended_count(
        g_ok, gc, target=target, budget=None, forced=lead, options=options
    )
    return SizeGrid(f, costs, g_ok, gc, g1, cheapest, n_all, why)


def sizes_within(grid: SizeGrid, budget: float | None) -> Sizes:
    """Sizes (n1, n2) of the primary and backup lists on ``grid``, within ``budget`` (see the
    module docstring)."""
    f, costs, n_all, why, cheapest = grid.f, grid.costs, grid.total, grid.reason, grid.cheapest
    target_count = None if cheapest is None else sum(cheapest)
    pick: tuple[int, int]
    if why == "target" and cheapest is not None:
        pick = cheapest
    else:
        i0 = int(grid.frontier_at[n_all])
        pick = (i0, n_all - i0)
    bound = False

    def cost_of(pair: tuple[int, int]) -> float:
        return float(costs[0][pair[0]] + costs[1][pair[1]])

    if budget is not None and cost_of(pick) > budget + 1e-9:
        cost = costs[0][:, None] + costs[1][None, :]
        valid = f >= 0.0  # pair_scan set the pairs not allowed to -1
        affordable = valid & (cost <= budget + 1e-9)
        if affordable.any():
            fits = np.where(affordable, f, -1.0)
            ties = np.argwhere(fits >= fits.max() - 1e-12)
            # ties: the cheapest, then more primary programs
            order = np.lexsort((-ties[:, 0], cost[ties[:, 0], ties[:, 1]]))
            pick = (int(ties[order[0], 0]), int(ties[order[0], 1]))
        else:  # the programs forced in already cost more than the budget: keep just them
            i, j = np.unravel_index(int(np.argmin(np.where(valid, cost, np.inf))), f.shape)
            pick = (int(i), int(j))
        why, bound = "budget", True
    n1, n2 = int(pick[0]), int(pick[1])
    return Sizes(
        (n1, n2),
        why,
        bound,
        float(f[n1, n2]),
        cost_of((n1, n2)),
        grid.frontier,
        grid.frontier_cost,
        target_count,
    )


def preliminary_size(
    curve: FloatArray,
    miss: FloatArray,
    cost: FloatArray,
    *,
    target: float,
    budget: float | None,
    forced: int = 0,
    options: PlanOptions,
) -> tuple[int, CountReason, bool]:
    """Programs of the preliminary list given the categorical parts' miss chance per node.

    ``curve`` (N3 + 1, q) are the preliminary list's node curves, ``miss`` (q,) the weighted
    chance that every categorical part fails. The count is the planner's rule on P(any PGY-1)
    (no guide-range floor: the guide's range is for a core specialty), at least
    :data:`PRELIM_MIN` (when listable), never more than the budget left pays for.
    """
    h = 1.0 - (1.0 - curve) @ miss  # (N3 + 1,)
    n = len(h) - 1
    open_range = replace(options, guide_range=(0, n))
    count, why, _, _ = recommended_count(
        np.maximum.accumulate(h),
        cost,
        target=target,
        budget=None,
        forced=forced,
        options=open_range,
    )
    count = max(count, min(PRELIM_MIN, n))
    bound = False
    if budget is not None:
        affordable = max(int(np.flatnonzero(cost <= budget + 1e-9)[-1]), forced)
        if count > affordable:  # the programs forced in stay, even past the budget
            count, why, bound = affordable, "budget", True
    return count, why, bound
