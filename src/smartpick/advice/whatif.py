"""What-ifs measured with the planner's own model, injected as an ``evaluate`` function.

``evaluate(profile, size)`` returns the :class:`Outcome` of the planner for a (changed) profile,
with the list size forced to ``size`` or chosen by the planner when ``size`` is None. The advice
code never computes odds itself: every number it shows about odds or cost comes from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartpick.errors import ModelError
from smartpick.profile import Profile, parse_profile

__all__ = [
    "HANDS_ON",
    "MAX_CALLS",
    "Evaluate",
    "Measured",
    "Outcome",
    "Runner",
    "changed",
]

#: Kinds of US clinical experience that are hands-on (the guide's hierarchy: core clerkships >
#: electives / sub-internships > observerships > shadowing).
HANDS_ON: tuple[str, ...] = ("clerkship", "subinternship", "elective", "externship")

#: Most evaluate calls one advice build may make (each is a full planner run).
MAX_CALLS = 12


@dataclass(frozen=True)
class Outcome:
    """What the planner gives a profile: P(match), ERAS cost and list size."""

    match_probability: float
    cost_usd: float
    recommended_count: int


#: ``evaluate(profile, size)``: the planner's outcome for a changed profile; ``size`` forces the
#: total number of programs across the portfolio (None: the planner chooses).
Evaluate = Callable[[Profile, int | None], Outcome]


@dataclass(frozen=True)
class Measured:
    """One what-if: the changed profile's outcome next to the base outcome."""

    key: str
    before: Outcome
    after: Outcome

    @property
    def gain(self) -> float:
        """Change in P(match), after minus before."""
        return self.after.match_probability - self.before.match_probability


def changed(profile: Profile, today: dt.date | None = None, **updates: Any) -> Profile:
    """A validated copy of the profile with some fields changed."""
    data = profile.model_dump()
    data.update(updates)
    return parse_profile(data, today=today)


class Runner:
    """Calls ``evaluate`` with a budget of :data:`MAX_CALLS` and caches repeated questions."""

    def __init__(self, evaluate: Evaluate, base: Outcome, budget: int = MAX_CALLS) -> None:
        self._evaluate = evaluate
        self.base = base
        self.budget = budget
        self.calls = 0
        self._cache: dict[tuple[str, int | None], Outcome] = {}

    @property
    def left(self) -> int:
        """Calls still allowed."""
        return self.budget - self.calls

    def measure(self, key: str, profile: Profile, size: int | None = None) -> Measured | None:
        """The outcome of a changed profile (None once the budget is spent)."""
        ck = (profile.model_dump_json(), size)
        if ck not in self._cache:
            if self.calls >= self.budget:
                return None
            self.calls += 1
            out = self._evaluate(profile, size)
            if not 0.0 <= out.match_probability <= 1.0:
                raise ModelError(
                    f"evaluate returned P(match) {out.match_probability} for what-if '{key}' "
                    "(allowed: 0 to 1)"
                )
            self._cache[ck] = out
        return Measured(key, self.base, self._cache[ck])
