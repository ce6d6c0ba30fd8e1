"""The results page of the example plan stays small (issue 11: at most 100 KiB of HTML),
measured with the real planner over the shipped catalog by the page-size benchmark."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_results_page import results_page

LIMIT = 100 * 1024


def test_example_results_page_is_at_most_100_kib(shipped_db: Path) -> None:
    r = results_page(shipped_db, repeats=1)
    print(f"\nresults page {r['html_bytes'] / 1024:.1f} KiB, {r['programs']} programs")
    assert r["programs"] > 50  # the whole list is in the page, one table row each
    assert r["html_bytes"] <= LIMIT
