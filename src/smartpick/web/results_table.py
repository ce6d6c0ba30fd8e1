"""The results page's program table: one row per listed program, in list order, with the
columns a user sorts and filters by, and the list counted by state for the map."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smartpick.contract import PlanResult, ProgramOut
from smartpick.model.rates import GROUP_LABELS

from .results_view import part_titles

__all__ = ["ProgramTable", "TableRow", "program_table"]


@dataclass(frozen=True)
class TableRow:
    """One listed program with its place in the list and the user's marks."""

    rank: int
    program: ProgramOut
    part: str
    starred: bool
    published_rate: float | None


@dataclass(frozen=True)
class ProgramTable:
    """The whole list as table rows, which optional columns to show, and counts by state."""

    rows: list[TableRow]
    show_part: bool
    show_visa: bool
    show_signal: bool
    rate_group: str
    by_state: list[tuple[str, int]]


def program_table(
    result: PlanResult,
    starred: tuple[str, ...],
    rate_group: str,
) -> ProgramTable:
    """Rows in list order, each with the published interview rate for the applicant's group
    (``ProgramOut.interview_rate_published``: AAMC Residency Explorer, None where none)."""
    stars = set(starred)
    titles = part_titles(result.programs, result.portfolio)
    rows = [
        TableRow(i + 1, p, titles[i], p.program_code in stars, p.interview_rate_published)
        for i, p in enumerate(result.programs)
    ]
    states = Counter(p.state for p in result.programs if p.state)
    return ProgramTable(
        rows=rows,
        show_part=len(set(titles)) > 1,
        show_visa=any(p.visa_status is not None for p in result.programs),
        show_signal=any(p.signal is not None for p in result.programs),
        rate_group=GROUP_LABELS.get(rate_group, GROUP_LABELS["us_img"]),
        by_state=sorted(states.items(), key=lambda kv: (-kv[1], kv[0])),
    )
