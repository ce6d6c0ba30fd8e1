"""Catalog build time and a whole-specialty `programs` query time (median of several runs).

Run: ``python -m benchmarks.bench_catalog`` (or ``make bench`` for every benchmark).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from smartpick.catalog.build import build_catalog
from smartpick.catalog.store import Catalog
from smartpick.query import ProgramQuery

BUILD_RUNS = 3
QUERY_RUNS = 15


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (min {min(samples) * 1000:.1f})"


def main() -> None:
    """Print the build and query figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.sqlite"
        builds: list[float] = []
        for _ in range(BUILD_RUNS):
            t = time.perf_counter()
            build_catalog(path)
            builds.append(time.perf_counter() - t)
        print(f"catalog build: median {statistics.median(builds):.2f} s over {BUILD_RUNS} runs")
        with Catalog.open(path, build_if_missing=False) as cat:
            query = ProgramQuery(specialty="Internal Medicine", limit=None)
            searches: list[float] = []
            frames: list[float] = []
            n = 0
            for _ in range(QUERY_RUNS):
                t = time.perf_counter()
                n = len(cat.search(query))
                cat.count(query)
                searches.append(time.perf_counter() - t)
                t = time.perf_counter()
                cat.frame("140", ("C", "P", "M"))
                frames.append(time.perf_counter() - t)
            print(f"programs query (IM, {n} records, search+count): {_median_ms(searches)}")
            print(f"frame('140', C+P+M): {_median_ms(frames)}")


if __name__ == "__main__":
    main()
