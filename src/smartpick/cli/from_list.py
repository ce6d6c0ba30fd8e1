"""`smartpick plan PROFILE --from-list FILE`: read the edited list, report every problem at
once (nothing applied), or re-plan with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from smartpick.errors import InputError

if TYPE_CHECKING:  # loaded by the command that uses them (`smartpick --help` stays light)
    from smartpick.contract import PlanResult
    from smartpick.listfile import TrackingEntry
    from smartpick.planner import Planner
    from smartpick.profile import Profile

__all__ = ["plan_from_list"]


def plan_from_list(
    planner: Planner, profile: Profile, path: Path, today: dt.date | None, console: Console
) -> tuple[PlanResult, Mapping[str, TrackingEntry]]:
    """The re-plan and the file's tracking; InputError after listing the file's problems."""
    from smartpick.catalog.overlay import known_keys
    from smartpick.importing import read_list
    from smartpick.importing.replan import replan

    with planner.open_catalog() as catalog:
        codes, _ = known_keys(catalog.connection())
    imported = read_list(path, known_codes=codes)
    if imported.problems:
        for problem in imported.problems:
            console.print(
                Text.assemble(("error:", "bold red"), " ", str(problem)),
                highlight=False,
                soft_wrap=True,
            )
        n = len(imported.problems)
        raise InputError(
            f"{n} problem{'s' if n > 1 else ''} in {path}: nothing was applied",
            field="--from-list",
        )
    done = replan(planner, profile, imported, today=today)
    n = len(imported.events)
    events = f"{n} tracking event{'' if n == 1 else 's'}"
    console.print(
        Text(f"From {path}: {done.summary()}; {events} read."), highlight=False, soft_wrap=True
    )
    return done.result, imported.entries
