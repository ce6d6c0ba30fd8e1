"""CPU time of a full plan in process, IM + FM backup, distinct profiles (issue 8, Measure),
and of an all-specialty catalog search with a profile (issue 10).

The machine is shared and noisy, so the figure is CPU time (``time.process_time``) rather than
wall time: 30 profiles (Step 2 CK 220-249) planned once each after one warm-up plan, without
and with the strategy what-ifs; the search over every specialty (no filter) with each profile,
the default page of 50 records and every program; then the plans again with the garbage
collector as SmartPick's server workers and CLI set it (``smartpick.collector``). Prints p50 /
p90 in ms.

Run: ``python -m benchmarks.bench_cpu`` (uses the default catalog, built when missing).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from smartpick.planner import Planner
from smartpick.profile import parse_profile
from smartpick.query import ProgramQuery
from smartpick.web.runtime import tune_gc

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


def search_times(
    planner: Planner, scores: range = range(220, 250), *, limit: int | None = 50
) -> list[float]:
    """CPU seconds of an all-specialty search with one profile per Step 2 CK score."""
    query = ProgramQuery(limit=limit)
    planner.search_programs(query, profile=parse_profile(BASE, today=TODAY), today=TODAY)
    out = []
    for s in scores:
        prof = parse_profile({**BASE, "step2_score": s}, today=TODAY)
        t = time.process_time()
        planner.search_programs(query, profile=prof, today=TODAY)
        out.append(time.process_time() - t)
    return out


def _line(name: str, ts: list[float], target_ms: float | None) -> str:
    q = statistics.quantiles(ts, n=10)
    target = "no target" if target_ms is None else f"target p50 <= {target_ms:g} ms"
    return (
        f"{name:<40} CPU p50 {1000 * statistics.median(ts):6.1f} ms   "
        f"p90 {1000 * q[-1]:6.1f} ms   ({target}; {len(ts)} profiles)"
    )


def main() -> None:
    """Print the p50 / p90 CPU time of a plan, without and with the strategy what-ifs, first
    with the interpreter's garbage-collector settings (a library caller's), then with those of
    SmartPick's own processes (a server worker's: :func:`smartpick.web.runtime.tune_gc`)."""
    with Planner() as planner:
        print(_line("plan IM + FM backup", cpu_times(planner), 20))
        print(_line("plan IM + FM backup, with what-ifs", cpu_times(planner, advice=True), 60))
        print(_line("all-specialty search with a profile", search_times(planner), 50))
        every = search_times(planner, range(220, 230), limit=None)
        print(_line("the same, every program (no limit)", every, None))
        planner.clear_cache(frames=False)  # the same profiles again, planned afresh
        tune_gc()
        print(_line("plan, collector as in a server worker", cpu_times(planner), 20))
        print(_line("the same with what-ifs", cpu_times(planner, advice=True), 60))


if __name__ == "__main__":
    main()
