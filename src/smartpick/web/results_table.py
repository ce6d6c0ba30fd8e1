"""The results page's program table: one row per listed program, in list order, with the
columns a user sorts and filters by, and the list counted by state for the map."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smartpick.contract import PlanResult, ProgramOut

from .results_view import part_titles

__all__ = ["RATE_GROUPS", "ProgramTable", "TableRow", "program_table"]

#: The catalog's published interview-rate column for each applicant type, and its label.
RATE_GROUPS: dict[str, tuple[str, str]] = {
    "us_md": ("interview_rate_us_md", "US MD"),
    "us_do": ("interview_rate_us_do", "US DO"),
    "us_img": ("interview_rate_us_img", "US IMG"),
    "non_us_img": ("interview_rate_non_us_img", "non-US IMG"),
}


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
    rates: dict[str, float | None],
    rate_group: str,
) -> ProgramTable:
    """Rows in list order; ``rates`` maps program code → its published interview rate for the
    applicant's group (AAMC Residency Explorer), missing where none was published."""
    stars = set(starred)
    titles = part_titles(result.programs, result.portfolio)
    rows = [
        TableRow(i + 1, p, titles[i], p.program_code in stars, rates.get(p.program_code))
        for i, p in enumerate(result.programs)
    ]
    states = Counter(p.state for p in result.programs if p.state)
    return ProgramTable(
        rows=rows,
        show_part=len(set(titles)) > 1,
        show_visa=any(p.visa_status is not None for p in result.programs),
        show_signal=any(p.signal is not None for p in result.programs),
        rate_group=RATE_GROUPS.get(rate_group, RATE_GROUPS["us_img"])[1],
        by_state=sorted(states.items(), key=lambda kv: (-kv[1], kv[0])),
    )
