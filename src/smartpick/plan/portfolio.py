"""The portfolio: primary specialty + optional backup specialty + optional preliminary year.

**Combining the odds.** The applicant ranks every primary program first, then the backup
specialty's programs, then the preliminary / transitional-year programs. A later part only
matters when every earlier part failed. The parts share the applicant's unobserved strength u
(a weak application is weak in every specialty), so they are independent only *given* u (and
the parameters). Hence, at every strength node and parameter draw,

- P(categorical position | u) = 1 − (1 − P_primary(u))(1 − P_backup(u)),
- P(any PGY-1 position | u)   = 1 − (1 − P_primary(u))(1 − P_backup(u))(1 − P_preliminary(u)),

averaged over u; adding a part never lowers the combined odds. Ranges are the 10th-90th
percentiles of the combination over draws and strength nodes (paired across parts: draw i and
node q are the same in every part).

**Combining the cost.** ERAS prices per specialty: programs 1-30 of each specialty cost $11,
then $30. A preliminary Internal Medicine list shares the Internal Medicine counter with an
Internal Medicine primary or backup list (its programs continue that count); a transitional-year
list has its own counter. Each part reports the extra cost it adds.

**Budget.** Each part first gets its own recommended count (:func:`.optimise.optimise`). If the
total is over the budget, the primary and backup counts are chosen together to maximise
P(categorical) within the budget (never above their own recommendations; ties keep more primary
programs), and the preliminary part gets what is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError
from smartpick.frame import FloatArray
from smartpick.model.strength import Strength
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import Forecast, weighted_percentiles
from smartpick.plan.optimise import (
    DEFAULT_OPTIONS,
    ListPlan,
    PlanOptions,
    forecast_list,
    log_odds_of,
    optimise,
)

__all__ = [
    "PartInput",
    "PartOutcome",
    "Portfolio",
    "combine",
    "outcome_of",
    "plan_portfolio",
]

Role = Literal["primary", "backup", "preliminary"]
_ROLE_ORDER: dict[str, int] = {"primary": 0, "backup": 1, "preliminary": 2}


@dataclass(frozen=True, eq=False)
class PartOutcome:
    """One part's chosen list, reduced to what the combination needs."""

    role: Role
    specialty: str
    track: str  # "categorical" | "preliminary"
    fee_codes: tuple[str, ...]  # ERAS specialty code of each listed program, in order
    match_probability: float
    samples: FloatArray | None = None  # (d, r) P(match | draw, range strength node)
    nodes: FloatArray | None = None  # (q,) P(match | strength node) at the point parameters
    weights: FloatArray | None = None  # (q,) strength-node weights
    sample_weights: FloatArray | None = None  # (r,) range strength-node weights

    @property
    def count(self) -> int:
        """Programs in this part."""
        return len(self.fee_codes)


@dataclass(frozen=True, eq=False)
class PartSummary:
    """A part inside a combined portfolio, with its share of the cost."""

    role: Role
    specialty: str
    track: str
    count: int
    cost_usd: float  # extra ERAS fees this part adds (shared counters continue)
    match_probability: float
    low: float
    high: float


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Combined odds and cost of all parts."""

    parts: tuple[PartSummary, ...]
    match_probability_any: float  # P(match to any PGY-1 position)
    any_low: float
    any_high: float
    match_probability_categorical: float  # P(categorical position): primary or backup
    categorical_low: float
    categorical_high: float
    cost_usd: float
    counts_by_specialty: dict[str, int] = field(default_factory=dict)


def _range(values: FloatArray, w: FloatArray, point: float) -> tuple[float, float]:
    """10th-90th percentile of P(match | draw, node) (rows: draws, columns: nodes)."""
    lo, hi = weighted_percentiles(values, np.broadcast_to(w / len(values), values.shape))
    return float(min(lo, point)), float(max(hi, point))


def _on_nodes(values: FloatArray | None, point: float, q: int) -> FloatArray:
    """A part's (q,) node values; a part without nodes counts its point at every node."""
    if values is None or len(values) == 1:
        return np.full(q, point if values is None else float(values[0]))
    return values


def _on_draw_nodes(part: PartOutcome, r: int) -> FloatArray:
    """A part's (d or 1, r) values over draws and the range's nodes."""
    s = part.samples
    if s is None:
        return np.full((1, r), part.match_probability)
    if s.ndim == 1:  # per-draw values of independent programs
        s = s[:, None]
    return np.repeat(s, r, axis=1) if s.shape[1] == 1 and r > 1 else s


def _either(
    parts: Sequence[PartOutcome], w: FloatArray, wr: FloatArray, d: int
) -> tuple[float, FloatArray]:
    """1 − Π(1 − P(u)) over parts: the point (averaged over u) and (d, r) draw values."""
    miss = np.ones(len(w))
    miss_d = np.ones((d, len(wr)))
    for q in parts:
        miss = miss * (1.0 - _on_nodes(q.nodes, q.match_probability, len(w)))
        miss_d = miss_d * (1.0 - _on_draw_nodes(q, len(wr)))
    return float(w @ (1.0 - miss)), 1.0 - miss_d


def _shared(arrays: list[FloatArray | None], what: str) -> FloatArray:
    """The node weights every part shares (one node when no part has more)."""
    many = [a for a in arrays if a is not None and len(a) > 1]
    if any(len(a) != len(many[0]) or not np.allclose(a, many[0]) for a in many):
        raise InputError(f"parts have different {what}", field="portfolio")
    return many[0] if many else np.ones(1)


def combine(parts: Sequence[PartOutcome]) -> Portfolio:
    """Combined odds and cost of the parts (ordered primary, backup, preliminary)."""
    roles = [q.role for q in parts]
    if len(set(roles)) != len(roles) or roles.count("primary") != 1:
        raise InputError(
            "need exactly one primary part and at most one of each other role", field="portfolio"
        )
    ordered = sorted(parts, key=lambda q: _ROLE_ORDER[q.role])
    ds = {len(q.samples) for q in ordered if q.samples is not None and len(q.samples) > 1}
    if len(ds) > 1:
        raise InputError(f"parts have different numbers of draws {sorted(ds)}", field="portfolio")
    d = ds.pop() if ds else 1
    w = _shared([q.weights for q in ordered], "strength nodes")
    wr = _shared(
        [q.sample_weights for q in ordered if q.samples is not None and q.samples.ndim == 2],
        "range strength nodes",
    )
    counters: dict[str, int] = {}
    summaries: list[PartSummary] = []
    total = 0.0
    for q in ordered:
        cost = float(eras_cost_sequence(np.array(q.fee_codes, dtype=object), counters)[-1])
        for code in q.fee_codes:
            counters[code] = counters.get(code, 0) + 1
        total += cost
        lo, hi = _range(_on_draw_nodes(q, len(wr)), wr, q.match_probability)
        summaries.append(
            PartSummary(q.role, q.specialty, q.track, q.count, cost, q.match_probability, lo, hi)
        )
    cat = [q for q in ordered if q.role != "preliminary"]
    p_cat, s_cat = _either(cat, w, wr, d)
    p_any, s_any = _either(ordered, w, wr, d)
    cat_lo, cat_hi = _range(s_cat, wr, p_cat)
    any_lo, any_hi = _range(s_any, wr, p_any)
    return Portfolio(
        parts=tuple(summaries),
        match_probability_any=p_any,
        any_low=any_lo,
        any_high=any_hi,
        match_probability_categorical=p_cat,
        categorical_low=cat_lo,
        categorical_high=cat_hi,
        cost_usd=total,
        counts_by_specialty=dict(counters),
    )


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


def outcome_of(part: PartInput, plan: ListPlan) -> PartOutcome:
    """One part's list reduced to what :func:`combine` needs."""
    return _outcome(part, plan)


def _outcome(part: PartInput, plan: ListPlan) -> PartOutcome:
    codes = tuple(str(c) for c in part.fee_codes[plan.chosen])
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


def _with_count(part: PartInput, plan: ListPlan, count: int, target: float) -> ListPlan:
    """The same list cut at ``count`` programs to share the budget (re-forecast)."""
    chosen = plan.order[:count]
    fc = _reforecast(part, chosen)
    tiers = plan.tiers[:count]
    counts = {t: int(np.count_nonzero(tiers == t)) for t in ("reach", "target", "safety")}
    note = (
        f"The budget is shared across the portfolio: {count} of the "
        f"{plan.recommended_count} programs recommended for this part are kept."
    )
    return replace(
        plan,
        recommended_count=count,
        count_reason="budget",
        budget_bound=True,
        target_reached=bool(plan.match_probability[count] >= target - 1e-12),
        tier_counts=counts,
        forecast=fc,
        notes=(*plan.notes, note),
    )


def _reforecast(part: PartInput, chosen: npt.NDArray[np.int64]) -> Forecast:
    """The forecast of a part's programs ``chosen`` (same inputs as :func:`_run`)."""
    eta, draws, st = log_odds_of(part.p, part.eta, part.p_draws, part.eta_draws, part.strength)
    return forecast_list(eta, st, part.m, chosen, draws, part.m_draws)


def _split_budget(a: ListPlan, b: ListPlan, budget: float) -> tuple[int, int]:
    """Counts (na, nb) ≤ recommendations maximising 1 − (1 − Pa)(1 − Pb) within budget."""
    ca = a.cost_usd[: a.recommended_count + 1]
    cb = b.cost_usd[: b.recommended_count + 1]
    na = np.arange(len(ca))
    ok = ca <= budget + 1e-9
    na = na[ok]
    nb = np.searchsorted(cb, budget - ca[ok] + 1e-9, side="right") - 1
    value = 1.0 - (1.0 - a.match_probability[na]) * (1.0 - b.match_probability[nb])
    best = np.flatnonzero(value >= value.max() - 1e-12)[-1]  # ties: more primary programs
    return int(na[best]), int(nb[best])


def plan_portfolio(
    parts: Sequence[PartInput],
    *,
    target: float,
    budget: float | None = None,
    options: PlanOptions = DEFAULT_OPTIONS,
) -> tuple[Portfolio, dict[str, ListPlan]]:
    """Plan every part and combine them; returns the portfolio and each role's list."""
    ordered = sorted(parts, key=lambda q: _ROLE_ORDER[q.role])
    plans: dict[str, ListPlan] = {}
    for part in ordered:
        if part.role != "preliminary":
            plans[part.role] = _run(part, target, budget, {}, options)
    cat_parts = [q for q in ordered if q.role != "preliminary"]
    spent = sum(plans[q.role].cost for q in cat_parts)
    if budget is not None and spent > budget + 1e-9 and len(cat_parts) == 2:
        pa, pb = plans["primary"], plans["backup"]
        na, nb = _split_budget(pa, pb, budget)
        if na < pa.recommended_count:
            plans["primary"] = _with_count(cat_parts[0], pa, na, target)
        if nb < pb.recommended_count:
            plans["backup"] = _with_count(cat_parts[1], pb, nb, target)
    outcomes = [_outcome(q, plans[q.role]) for q in cat_parts]
    spent = sum(plans[q.role].cost for q in cat_parts)
    for part in ordered:
        if part.role == "preliminary":
            counters: dict[str, int] = {}
            for o in outcomes:
                for code in o.fee_codes:
                    counters[code] = counters.get(code, 0) + 1
            left = None if budget is None else max(0.0, budget - spent)
            plans[part.role] = _run(part, target, left, counters, options)
            outcomes.append(_outcome(part, plans[part.role]))
    return combine(outcomes), plans
