"""A full plan in-process, as the CLI and the web app run it (issue "The planner…", Measure).

Cases: Internal Medicine alone (~760 programs) and with a Family Medicine backup (~840 more);
each cold (nothing cached but the catalog's program frames) and, separately, the strategy
plan's what-ifs. Prints p50 / p90 and the peak memory (tracemalloc) of one plan.

Run: ``python -m benchmarks.bench_service`` (or ``make bench``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smartpick.catalog.build import build_catalog
from smartpick.planner import Planner
from smartpick.profile import Profile, parse_profile

TODAY = dt.date(2026, 11, 25)
RUNS = 25
BASE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "applicant_type": "us_img",
    "step2_score": 217,
    "graduation_year": 2024,
    "usce_months": 3,
    "usce_kind": "elective",
    "us_letters": 3,
    "specialty_letters": 2,
    "regions": ["Midwest", "South"],
}


def _times(planner: Planner, fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        planner.clear_cache(frames=False)
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _report(name: str, samples: list[float]) -> None:
    q = statistics.quantiles(samples, n=10)
    print(
        f"{name:<44} p50 {statistics.median(samples) * 1000:7.1f} ms   "
        f"p90 {q[-1] * 1000:7.1f} ms   ({len(samples)} runs)"
    )


def _peak(planner: Planner, fn: Callable[[], object]) -> float:
    planner.clear_cache(frames=False)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Print plan timings and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        build_catalog(db)
        planner = Planner(db)
        cases: dict[str, Profile] = {
            "IM (categorical + primary)": parse_profile(BASE, today=TODAY),
            "IM + FM backup": parse_profile(
                {**BASE, "backup_specialty": "Family Medicine"}, today=TODAY
            ),
            "IM + FM backup + prelim/TY": parse_profile(
                {**BASE, "backup_specialty": "Family Medicine", "include_preliminary": True},
                today=TODAY,
            ),
        }
        for name, prof in cases.items():
            planner.plan(prof, today=TODAY, advice=False)  # warm the frame cache

            def plan(p: Profile = prof) -> object:
                return planner.plan(p, today=TODAY, advice=False)

            def full(p: Profile = prof) -> object:
                return planner.plan(p, today=TODAY, advice=True)

            _report(f"plan, {name}", _times(planner, plan, RUNS))
            _report(f"plan + strategy what-ifs, {name}", _times(planner, full, 5))
            print(f"{'':<44} peak memory of one plan {_peak(planner, plan):.1f} MiB")
        planner.plan(cases["IM + FM backup"], today=TODAY)
        t = time.perf_counter()
        planner.plan(cases["IM + FM backup"], today=TODAY)
        print(
            f"the same plan again (served from the in-memory cache): "
            f"{(time.perf_counter() - t) * 1000:.2f} ms"
        )
        planner.close()


if __name__ == "__main__":
    main()
