"""How the results page arranges a plan: the list grouped by portfolio part and tier, with long
tiers folded after the first few programs (every program stays in the page and the exports)."""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.contract import PlanResult, PortfolioPart, ProgramOut
from smartpick.frame import TRACKS

__all__ = ["SHOWN_PER_TIER", "ListPart", "TierGroup", "fee_source", "list_parts", "primary_count"]

#: Programs shown per tier before the rest fold into a "show all" disclosure.
SHOWN_PER_TIER = 10
TIERS = ("reach", "target", "safety")


@dataclass(frozen=True)
class TierGroup:
    """One tier of one part: the programs shown at once and the folded rest."""

    tier: str
    shown: list[ProgramOut]
    more: list[ProgramOut]

    @property
    def count(self) -> int:
        """All programs of the tier."""
        return len(self.shown) + len(self.more)


@dataclass(frozen=True)
class ListPart:
    """The programs of one specialty / track part of the list, by tier."""

    title: str
    count: int
    tiers: list[TierGroup]


def _track(track: str) -> str:
    return TRACKS.get(track, track)


def _split(
    programs: list[ProgramOut], portfolio: list[PortfolioPart]
) -> list[tuple[str, list[ProgramOut]]]:
    """The list cut into its portfolio parts (the plan lists them part by part, in order);
    by specialty and track when the counts do not add up."""
    if portfolio and sum(p.count for p in portfolio) == len(programs):
        out: list[tuple[str, list[ProgramOut]]] = []
        start = 0
        for part in portfolio:
            if part.count:
                rows = programs[start : start + part.count]
                out.append((f"{part.specialty} ({_track(part.track)})", rows))
            start += part.count
        return out
    groups: dict[str, list[ProgramOut]] = {}
    for p in programs:
        groups.setdefault(f"{p.specialty} ({_track(p.track)})", []).append(p)
    return list(groups.items())


def list_parts(
    programs: list[ProgramOut],
    portfolio: list[PortfolioPart] | None = None,
    shown: int = SHOWN_PER_TIER,
) -> list[ListPart]:
    """Programs grouped by portfolio part in list order, then reach → target → safety."""
    parts: list[ListPart] = []
    for title, rows in _split(programs, list(portfolio or ())):
        tiers: list[TierGroup] = []
        for tier in (*TIERS, None):
            in_tier = [p for p in rows if p.tier == tier]
            if in_tier:
                tiers.append(TierGroup(tier or "other", in_tier[:shown], in_tier[shown:]))
        parts.append(ListPart(title, len(rows), tiers))
    return parts


def primary_count(result: PlanResult) -> int:
    """Programs of the primary part: the curve is the primary list's, so its marker sits here."""
    parts: list[PortfolioPart] = result.portfolio
    return parts[0].count if parts else result.recommended_count


def fee_source(result: PlanResult) -> str | None:
    """The ERAS fee schedule among the plan's sources."""
    return next((s for s in result.sources if "ERAS" in s and "Fee" in s), None)
