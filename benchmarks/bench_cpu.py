"""CPU time of a full plan in process, IM + FM backup, distinct profiles (issue 8, Measure).

The machine is shared and noisy, so the figure is CPU time (``time.process_time``) rather than
wall time: 30 profiles (Step 2 CK 220-249) planned once each after one warm-up plan, what-ifs
off. Prints p50 / p90 in ms.

Run: ``python -m benchmarks.bench_cpu`` (uses the default catalog, built when missing).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from smartpick.planner import Planner
from smartpick.profile import parse_profile

from .bench_service import BASE as SERVICE_BASE
from .bench_service import TODAY

#: The profile of the service benchmark, with a Family Medicine backup.
BASE: dict[str, Any] = {**SERVICE_BASE, "backup_specialty": "Family Medicine"}


def cpu_times(
    planner: Planner, scores: range = range(220, 250), *, advice: bool = False
) -> list[float]:
    """CPU seconds of one plan per Step 2 CK score (distinct profiles, nothing cached)."""
    planner.plan(parse_profile(BASE, today=TODAY), today=TODAY, advice=advice)  # warm-up
    out = []
    for s in scores:
        prof = parse_profile({**BASE, "step2_score": s}, today=TODAY)
        t = time.process_time()
        planner.plan(prof, today=TODAY, advice=advice)
        out.append(time.process_time() - t)
    return out


def _line(name: str, ts: list[float], target_ms: float) -> str:
    q = statistics.quantiles(ts, n=10)
    return (
        f"{name:<40} CPU p50 {1000 * statistics.median(ts):6.1f} ms   "
        f"p90 {1000 * q[-1]:6.1f} ms   (target p50 <= {target_ms:g} ms; {len(ts)} profiles)"
    )


def main() -> None:
    """Print the p50 / p90 CPU time of a plan, without and with the strategy what-ifs."""
    with Planner() as planner:
        print(_line("plan IM + FM backup", cpu_times(planner), 20))
        print(_line("plan IM + FM backup, with what-ifs", cpu_times(planner, advice=True), 60))


if __name__ == "__main__":
    main()
