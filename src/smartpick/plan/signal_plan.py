"""Signals for a planned portfolio: allocate each specialty part's signals, re-forecast, combine.

The lists are chosen first (:func:`.portfolio.plan_portfolio`); then each primary / backup part
whose specialty has a known signal count (:mod:`.signal_counts`) gets its own signals on its
listed programs (:func:`.signals.allocate`), its forecast is recomputed with the shifted
log-odds, and the parts are combined again. Preliminary parts get none (their count is the
specialty's, spent on its categorical list). The range's draws carry the effect's uncertainty:
draw ``i`` takes a fraction ``lambda_i ~ U(0, 1)`` of the observed difference (seeded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from smartpick.frame import FloatArray, ObjArray
from smartpick.model.signal_effect import SignalEffects
from smartpick.model.strength import Strength
from smartpick.plan.optimise import ListPlan, forecast_list, log_odds_of
from smartpick.plan.portfolio import PartInput, PartOutcome, Portfolio, combine, outcome_of
from smartpick.plan.signal_counts import SignalCounts
from smartpick.plan.signals import Allocation, allocate

__all__ = ["PartSignals", "SignalPlan", "draw_shift", "plan_signals"]

_SEED = 12


@dataclass(frozen=True, eq=False)
class PartSignals:
    """One part's signals over its recommended list (index = position in the list)."""

    role: str
    specialty: str
    counts: SignalCounts
    allocation: Allocation
    source: tuple[str | None, ...]  # per listed program: where its effect comes from
    p_without: FloatArray  # (n,) marginal interview chance without its signal
    p_with: FloatArray  # (n,) with it
    match_probability_without: float
    match_probability_with: float

    @property
    def kinds(self) -> list[str | None]:
        """The signal kind at each listed program (None: none)."""
        return self.allocation.kinds()


@dataclass(frozen=True, eq=False)
class SignalPlan:
    """Every part's signals and P(categorical) without them (the point: the portfolio they
    are planned on is sized and forecast without the signalled parts' parameter draws)."""

    parts: tuple[PartSignals, ...]
    categorical_without: float
    notes: tuple[str, ...]

    def for_role(self, role: str) -> PartSignals | None:
        """The signals of one part (None: it sends none)."""
        return next((p for p in self.parts if p.role == role), None)


@lru_cache(maxsize=8)
def _fractions(d: int) -> FloatArray:
    """The ``d`` draws' fractions lambda_i ~ U(0, 1), (d, 1): seeded, so the same for every
    plan (keyed by the draw count; read-only)."""
    lam = np.random.default_rng(_SEED).uniform(0.0, 1.0, size=(d, 1))
    lam.flags.writeable = False
    return lam


def draw_shift(alloc: Allocation, eff: SignalEffects, d: int) -> FloatArray:
    """(d, n) log-odds shift per parameter draw: lambda_i x the observed difference."""
    lam = _fractions(d)
    kind = np.maximum(alloc.kind, 0)
    observed = eff.observed[np.arange(len(kind)), kind] * (alloc.kind >= 0)
    return np.asarray(lam * observed[None, :])


def _part(
    part: PartInput, plan: ListPlan, counts: SignalCounts, eff: SignalEffects, codes: ObjArray
) -> tuple[PartSignals, ListPlan]:
    eta, eta_draws, st = log_odds_of(part.p, part.eta, part.p_draws, part.eta_draws, part.strength)
    chosen = plan.chosen
    e = eta[chosen]
    sub = eff.take(chosen)
    groups = [str(c)[:7] for c in codes[chosen].tolist()]  # institution + specialty code
    alloc = allocate(e, st, part.m, sub.log_odds, counts.counts, groups) if len(chosen) else None
    if alloc is None:
        alloc = Allocation(np.zeros(0, dtype=np.int64), np.zeros(0))
    shifted = eta.copy()
    shifted[chosen] += alloc.delta
    draws = None
    if eta_draws is not None:
        draws = eta_draws.copy()
        draws[:, chosen] += draw_shift(alloc, sub, len(draws))
    fc = forecast_list(shifted, st, part.m, chosen, draws, part.m_draws)
    source = tuple(
        str(sub.source[i, k]) if k >= 0 else None for i, k in enumerate(alloc.kind.tolist())
    )
    signals = PartSignals(
        role=part.role,
        specialty=part.specialty,
        counts=counts,
        allocation=alloc,
        source=source,
        p_without=_marginal(st, e),
        p_with=_marginal(st, e + alloc.delta),
        match_probability_without=plan.forecast.match_probability,
        match_probability_with=fc.match_probability,
    )
    return signals, replace(plan, forecast=fc)


def _marginal(st: Strength, eta: FloatArray) -> FloatArray:
    return st.marginal(eta) if len(eta) else np.zeros(0)


def plan_signals(
    parts: Sequence[PartInput],
    plans: dict[str, ListPlan],
    portfolio: Portfolio,
    counts: Sequence[SignalCounts | None],
    effects: Sequence[SignalEffects],
    program_codes: Sequence[ObjArray],
) -> tuple[SignalPlan, Portfolio, dict[str, ListPlan]]:
    """Signals for every part with a known count; the portfolio and lists with them.

    ``counts``, ``effects`` and ``program_codes`` are per part (the last two over the part's
    candidates); the NRMP tracks of one ERAS program (same first 7 characters of the code:
    institution and specialty) share one signal.
    """
    out: list[PartSignals] = []
    new_plans = dict(plans)
    notes: list[str] = []
    for part, c, eff, codes in zip(parts, counts, effects, program_codes, strict=True):
        if part.role == "preliminary":
            continue
        if c is None:
            notes.append(
                f"{part.specialty}: no program-signal count for this specialty in our data "
                "(data/program_signals.csv), so the plan sends no signals here; check the "
                "AAMC signaling page for the season."
            )
            continue
        ps, new_plans[part.role] = _part(part, plans[part.role], c, eff, codes)
        out.append(ps)
    without = portfolio.match_probability_categorical
    if not out:
        return SignalPlan((), without, tuple(notes)), portfolio, plans
    outcomes: list[PartOutcome] = [outcome_of(q, new_plans[q.role]) for q in parts]
    # the sizing's notes stay (the sizes are chosen before the signals, on the odds without)
    with_signals = replace(combine(outcomes), notes=portfolio.notes)
    return SignalPlan(tuple(out), without, tuple(notes)), with_signals, new_plans
