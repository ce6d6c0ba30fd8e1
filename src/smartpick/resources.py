"""Bundled data files (package resources), read as lists of string dictionaries.

Pure: no database, web or CLI. Empty cells become ``None`` (unknown), never "" or 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["DATA_FILES", "Fact", "fact", "facts", "read_csv", "read_text"]

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
}


def read_text(name: str) -> str:
    """Text of a bundled data file."""
    return resources.files("smartpick.data").joinpath(name).read_text(encoding="utf-8")


@cache
def read_csv(name: str) -> tuple[dict[str, str | None], ...]:
    """Rows of a bundled CSV as dictionaries; empty cells are ``None``."""
    reader = csv.DictReader(io.StringIO(read_text(name)))
    return tuple({k: (v if v != "" else None) for k, v in row.items()} for row in reader)


@dataclass(frozen=True)
class Fact:
    """A scalar fact with its source."""

    key: str
    value: float
    unit: str
    description: str
    source: str
    year: str

    @property
    def citation(self) -> str:
        """``source, year`` for display."""
        return f"{self.source}, {self.year}"


@cache
def facts() -> dict[str, Fact]:
    """All scalar facts from ``facts.csv`` keyed by name."""
    out: dict[str, Fact] = {}
    for row in read_csv("facts.csv"):
        key = row["key"] or ""
        out[key] = Fact(
            key=key,
            value=float(row["value"] or "nan"),
            unit=row["unit"] or "",
            description=row["description"] or "",
            source=row["source"] or "",
            year=row["year"] or "",
        )
    return out


def fact(key: str) -> Fact:
    """One scalar fact by name (KeyError if unknown)."""
    return facts()[key]
