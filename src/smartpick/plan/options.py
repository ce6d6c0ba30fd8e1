"""The planner's tunable rules and the names its decisions share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from smartpick.errors import InputError
from smartpick.plan.tiers import DEFAULT_MIX, TierBands, TierMix

__all__ = ["DEFAULT_OPTIONS", "RANGE_NODES", "CountReason", "PlanOptions"]

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
