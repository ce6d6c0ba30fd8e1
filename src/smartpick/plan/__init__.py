"""The planner core (pure): screens, forecast, tiers, fees, the curve, the portfolio.

Imports no database, web or CLI code; every per-program computation is a NumPy array operation.
See ``docs/planner.md`` for the rules and their justification.
"""

from __future__ import annotations

from smartpick.plan.fees import (
    OneTimeFee,
    eras_cost,
    eras_cost_curve,
    eras_cost_sequence,
    one_time_fees,
    portfolio_cost,
)
from smartpick.plan.forecast import (
    Forecast,
    forecast,
    interview_count_distribution,
    match_probability,
)
from smartpick.plan.optimise import DEFAULT_OPTIONS, ListPlan, PlanOptions, optimise
from smartpick.plan.portfolio import PartInput, PartOutcome, Portfolio, combine, plan_portfolio
from smartpick.plan.preferences import preference_weights
from smartpick.plan.screen import CATEGORICAL_TRACKS, PRELIMINARY_TRACKS, ScreenResult, screen
from smartpick.plan.tiers import DEFAULT_MIX, TierBands, TierMix, assign_tiers

__all__ = [
    "CATEGORICAL_TRACKS",
    "DEFAULT_MIX",
    "DEFAULT_OPTIONS",
    "PRELIMINARY_TRACKS",
    "Forecast",
    "ListPlan",
    "OneTimeFee",
    "PartInput",
    "PartOutcome",
    "PlanOptions",
    "Portfolio",
    "ScreenResult",
    "TierBands",
    "TierMix",
    "assign_tiers",
    "combine",
    "eras_cost",
    "eras_cost_curve",
    "eras_cost_sequence",
    "forecast",
    "interview_count_distribution",
    "match_probability",
    "one_time_fees",
    "optimise",
    "plan_portfolio",
    "portfolio_cost",
    "preference_weights",
    "screen",
]
