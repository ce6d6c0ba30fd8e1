"""The notes of a planned list: why it has this many programs, and what the target would take.

Shared by one part's list (:func:`.optimise.optimise`) and a portfolio's categorical frontier
(:mod:`.portfolio`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from smartpick.frame import FloatArray
from smartpick.plan.tiers import TIERS

if TYPE_CHECKING:
    from smartpick.plan.optimise import CountReason, PlanOptions

__all__ = ["list_notes"]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def list_notes(
    curve: FloatArray,
    cost: FloatArray,
    count: int,
    why: CountReason,
    bound: bool,
    reached: bool,
    target: float,
    counts: dict[str, int],
    options: PlanOptions,
) -> tuple[str, ...]:
    """The notes of a list of ``count`` programs on its P(match) ``curve`` and ``cost``."""
    out: list[str] = []
    n = len(curve) - 1
    if why == "empty":
        out.append("No program is left to list after the screens and exclusions.")
        return tuple(out)
    hits = np.flatnonzero(curve >= target - 1e-12)
    if bound:
        text = (
            f"Your budget limits the list to {count} programs (${cost[count]:,.0f}, "
            f"P(match) {_pct(curve[count])})"
        )
        if hits.size:
            need = int(hits[0])
            text += f"; {need} programs (${cost[need]:,.0f}) would reach your {_pct(target)} target"
        out.append(text + ".")
    if why == "unreachable" or (bound and not hits.size):
        best = float(curve[n])
        lo, hi = options.guide_range
        marks = sorted({min(k, n) for k in (lo, (lo + hi) // 2, hi)})
        odds = ", ".join(f"{k} programs {_pct(curve[k])}" for k in marks)
        far = (
            f"reaching it would take {int(hits[0])} programs (${cost[int(hits[0])]:,.0f}), "
            f"where every further {options.plateau_window} add under "
            f"{100 * options.plateau_gain:.0f} percentage point"
            if hits.size
            else f"even all {n} listable programs give {_pct(best)}"
        )
        out.append(
            f"Your target of {_pct(target)} is out of reach: {far}. Across the guide's range "
            f"of {lo}-{hi}+ programs: {odds}. The list is set at {count} programs "
            f"({_pct(curve[count])}); the strategy steps are what can raise the odds."
        )
    if count:
        share = {t: counts[t] / count for t in TIERS}
        if counts["target"] == 0 and counts["safety"] == 0:
            out.append(
                "Every listed program is a reach: no target or safety program is "
                "available; consider a backup specialty."
            )
        ranges = options.mix.ranges()
        if any(not lo - 1e-9 <= share[t] <= hi + 1e-9 for t, (lo, hi) in ranges.items()):
            have = ", ".join(f"{_pct(share[t])} {t}" for t in TIERS)
            guide = ", ".join(f"{_pct(lo)}-{_pct(hi)} {t}" for t, (lo, hi) in ranges.items())
            out.append(
                f"Tier mix: {have} (guide for a low score: {guide}). The list follows your "
                "odds; the guide's mix only decides between near-equal programs."
            )
    return tuple(out)
