"""Bundled data files (package resources): the single entry to ``smartpick/data``.

Pure: no database, web or CLI. The package reads its CSVs through the typed readers of
:mod:`smartpick.datafiles` (one per file); :func:`read_csv` gives raw string rows for tests and
one-off tools (empty cells become ``None``, never "" or 0).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

__all__ = ["DATA_FILES", "read_bytes", "read_csv", "read_text"]

#: Bundled CSV files and their provenance (publisher, year); see ``data/SOURCES.md``.
DATA_FILES: dict[str, tuple[str, str]] = {
    "nrmp_programs_2026.csv": ("NRMP Program Results, 2026 Main Residency Match", "2026"),
    "freida_im_programs_2025.csv": ("AMA FREIDA (data as of 2025-03-28)", "2025"),
    "nrmp_tracks_2025.csv": ("NRMP Advance Data Tables, 2025 Main Residency Match", "2025"),
    "charting_outcomes_non_us_img_2026.csv": ("NRMP Charting Outcomes, non-US IMGs", "2026"),
    "charting_outcomes_non_us_img_2026_summary.csv": (
        "NRMP Charting Outcomes, non-US IMGs (summary)",
        "2026",
    ),
    "step2_us_md_seniors_2026.csv": ("NRMP Charting Outcomes, US MD seniors", "2026"),
    "residency_explorer_interview_rates_2024.csv": (
        "AAMC Residency Explorer, 2024 Match, via datadoc1/signal-analysis",
        "2024",
    ),
    "match_rates_by_applicant_type.csv": ("NRMP Results and Data / press releases", "2022-2026"),
    "facts.csv": ("AAMC, ECFMG, NRMP, AAIM, APDIM (per row)", "various"),
    "cycle_dates.csv": ("AAMC ERAS timeline and NRMP Match calendar (per row)", "2024-2026"),
    "program_signals.csv": ("AAMC program signaling (ERAS 2025), AAIM (per row)", "2025-2026"),
}


def read_bytes(name: str) -> bytes:
    """Bytes of a bundled data file."""
    return resources.files("smartpick.data").joinpath(name).read_bytes()


def read_text(name: str) -> str:
    """Text of a bundled data file."""
    return resources.files("smartpick.data").joinpath(name).read_text(encoding="utf-8")


@cache
def read_csv(name: str) -> tuple[dict[str, str | None], ...]:
    """Raw rows of a bundled CSV as dictionaries; empty cells are ``None`` (unvalidated)."""
    reader = csv.DictReader(io.StringIO(read_text(name)))
    return tuple({k: (v if v != "" else None) for k, v in row.items()} for row in reader)
