"""Profiles and a fake planner built in code for the advice tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartpick.advice.whatif import Outcome
from smartpick.profile import Profile, parse_profile

TODAY = dt.date(2026, 11, 25)


def profile(**kw: Any) -> Profile:
    """A US-citizen IMG applying to Internal Medicine, with fields overridden by ``kw``."""
    data: dict[str, Any] = {
        "specialty": "Internal Medicine",
        "applicant_type": "us_img",
        "step2_score": 232,
        "graduation_year": 2024,
        "usce_months": 2,
        "usce_kind": "elective",
        "us_letters": 2,
        "specialty_letters": 1,
    }
    data.update(kw)
    return parse_profile(data, today=TODAY)


class FakePlanner:
    """A planner that is monotone in every lever the advice pulls; records its calls.

    ``odd`` values make sure the advice reports what evaluate returns rather than a typed-in
    number.
    """

    FRIENDLY = ("Internal Medicine", "Family Medicine", "Pediatrics", "Psychiatry")

    def __init__(self, level: float = 0.0) -> None:
        self.level = level
        self.calls: list[tuple[Profile, int | None]] = []
        self.returned: list[Outcome] = []

    def odds(self, p: Profile, size: int | None) -> float:
        score = p.step2_score if p.step2_score is not None else 228
        x = self.level + 0.1137 + 0.0071 * (score - 200)
        x += 0.0413 * min(p.usce_months, 6) + 0.0219 * min(p.us_letters, 5)
        x += 0.0117 * min(p.specialty_letters, 5)
        x += 0.0931 if p.backup_specialty else 0.0
        x += 0.0457 if p.include_preliminary else 0.0
        x += 0.0 if p.regions else 0.0389
        x += 0.1213 if p.specialty in self.FRIENDLY else 0.0
        x += 0.0011 * ((size or 60) - 60)
        return max(0.0, min(0.9871, x))

    def __call__(self, p: Profile, size: int | None) -> Outcome:
        self.calls.append((p, size))
        n = size or 60
        out = Outcome(self.odds(p, size), 330.0 + 30.0 * (n - 30) + 0.37, n)
        self.returned.append(out)
        return out

    def base(self, p: Profile) -> Outcome:
        """The outcome for the profile as given (not counted as a what-if call)."""
        n = 60
        return Outcome(self.odds(p, None), 330.0 + 30.0 * (n - 30) + 0.37, n)
