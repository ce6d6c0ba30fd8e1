"""How the results page names a plan's parts and finds its figures: the part of each listed
program, the primary part's count (where the curve's mark sits) and the ERAS fee source."""

from __future__ import annotations

from smartpick.contract import PlanResult, PortfolioPart, ProgramOut
from smartpick.frame import TRACKS

__all__ = ["fee_source", "part_titles", "primary_count"]


def _title(specialty: str, track: str) -> str:
    """A part's name: the specialty, with its track unless categorical."""
    name = TRACKS.get(track, track)
    return specialty if name == "categorical" else f"{specialty} ({name})"


def part_titles(programs: list[ProgramOut], portfolio: list[PortfolioPart]) -> list[str]:
    """The part of each program, in list order: the plan lists its portfolio parts one after
    the other; by the program's own specialty and track when the counts do not add up."""
    if portfolio and sum(p.count for p in portfolio) == len(programs):
        return [_title(part.specialty, part.track) for part in portfolio for _ in range(part.count)]
    return [_title(p.specialty, p.track) for p in programs]


def primary_count(result: PlanResult) -> int:
    """Programs of the primary part: the curve is the primary list's, so its marker sits here."""
    parts: list[PortfolioPart] = result.portfolio
    return parts[0].count if parts else result.recommended_count


def fee_source(result: PlanResult) -> str | None:
    """The ERAS fee schedule among the plan's sources."""
    return next((s for s in result.sources if "ERAS" in s and "Fee" in s), None)
