"""Re-plan a profile with an edited list file (shared by the CLI and the web app)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smartpick.contract import PlanResult
from smartpick.planner import PlanService
from smartpick.profile import Profile

from .types import ImportedList

__all__ = ["Replan", "replan"]


@dataclass(frozen=True)
class Replan:
    """The new plan and what the file changed."""

    result: PlanResult
    removed: tuple[str, ...]  # left out: marked removed, or their row deleted
    added: tuple[str, ...]  # listed in the file though the plan had not chosen them
    not_listed: tuple[str, ...]  # listed in the file, but not on the new list (screened out,
    # another specialty, or not in the catalog)

    def summary(self) -> str:
        """One line for the user."""
        text = (
            f"{len(self.removed)} removed, {len(self.added)} added by you; "
            f"{len(self.result.programs)} programs on the list"
        )
        if self.not_listed:
            shown = ", ".join(self.not_listed[:5]) + ("…" if len(self.not_listed) > 5 else "")
            text += (
                f"; {len(self.not_listed)} of your programs could not be listed ({shown}): "
                "screened out, another specialty, or not in the catalog"
            )
        return text


def replan(
    planner: PlanService,
    profile: Profile,
    imported: ImportedList,
    *,
    today: dt.date | None = None,
    advice: bool = True,
) -> Replan:
    """The plan with the file's programs kept or added and its deleted / removed rows left out.

    A deleted row is told by comparing the file with the plan the profile gets without it
    (deterministic for the same profile, date and catalog).
    """
    base = planner.plan(profile, today=today, advice=False)
    planned = [p.program_code for p in base.programs]
    exclude = imported.excludes(planned)
    include = tuple(c for c in imported.include_codes if c not in exclude)
    result = planner.plan(
        profile, today=today, exclude_codes=exclude, include_codes=include, advice=advice
    )
    listed = {p.program_code for p in result.programs}
    return Replan(
        result=result,
        removed=exclude,
        added=tuple(c for c in include if c not in planned and c in listed),
        not_listed=tuple(c for c in include if c not in listed),
    )
