"""Speed of the interview model: `python benchmarks/bench_model.py [--db PATH]`.

Times interview_probabilities (point estimate + parameter draws) for Internal Medicine and
Family Medicine frames from the catalog, and the outcome curves. Prints p50 / p90 in ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from smartpick.catalog.store import Catalog
from smartpick.model.interview import interview_probabilities
from smartpick.model.outcome import match_given_interviews, match_given_interviews_draws
from smartpick.model.params import load_params
from smartpick.profile import parse_profile


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    return statistics.median(runs), runs[int(0.9 * (len(runs) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    params = load_params()
    catalog = Catalog.open(args.db)
    today = dt.date(2026, 3, 1)
    for code, name in (("140", "Internal Medicine"), ("120", "Family Medicine")):
        frame = catalog.frame(code, ("C",))
        prof = parse_profile(
            {"specialty": name, "step2_score": 217, "usce_months": 3, "visa": "j1"}, today=today
        )
        p50, p90 = _time(
            lambda f=frame, pr=prof: interview_probabilities(pr, f, params, today=today),
            args.repeat,
        )
        print(
            f"interview_probabilities {name} ({len(frame)} programs, {params.n_draws} draws): "
            f"p50 {p50:.2f} ms, p90 {p90:.2f} ms"
        )
    match_given_interviews_draws("140", params)
    p50, p90 = _time(lambda: match_given_interviews("140", params), args.repeat)
    print(f"match_given_interviews (cached): p50 {p50:.3f} ms")


if __name__ == "__main__":
    main()
