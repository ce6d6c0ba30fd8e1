"""Typed rows of the bundled data files: one pydantic model per file, every cell validated.

Pure: no I/O. An empty cell arrives as ``None`` (unknown), never "" or 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "CycleDateRow",
    "ExplorerRow",
    "Fact",
    "FreidaRow",
    "MatchRateRow",
    "NrmpRow",
    "OutcomeRow",
    "Row",
    "SignalCountRow",
    "Step2Row",
    "SummaryRow",
    "TrackRow",
]

Flag = Annotated[int, Field(ge=0, le=1)]
Pct = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]
Rate = Annotated[float, Field(ge=0, le=1)]


class Row(BaseModel):
    """A validated, frozen row of a bundled data file (unknown columns rejected)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class NrmpRow(Row):
    """One row of ``nrmp_programs_2026.csv``."""

    program_code: Annotated[str, Field(pattern=r"^\d{7}[CPARM]\d$")]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    institution_as_listed: Annotated[str, Field(min_length=1)]
    program_name: Annotated[str, Field(min_length=1)]
    track: Literal["C", "P", "A", "R", "M"]
    quota_2026: Count
    filled_2026: Count

    @field_validator("track")
    @classmethod
    def _track_matches_code(cls, v: str, info: Any) -> str:
        code = info.data.get("program_code")
        if code and code[7] != v:
            raise ValueError(f"track {v!r} differs from the code's 8th character {code[7]!r}")
        return v


class FreidaRow(Row):
    """One row of ``freida_im_programs_2025.csv``."""

    acgme_id: Annotated[str, Field(pattern=r"^\d{10}$")]
    program_name: Annotated[str, Field(min_length=1)]
    city: str | None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None
    first_year_positions: Count | None
    interviews_last_year: Count | None
    pct_do: Pct | None
    pct_img: Pct | None
    pct_usmd: Pct | None
    setting: Literal["university", "affiliated", "community", "military", "other"] | None
    visa_j1: Flag | None
    visa_h1b: Flag | None
    visa_f1: Flag | None
    us_gov: Flag | None
    accepting_2026_27: Flag | None
    eras: Flag | None
    yog_limit_years: Annotated[int, Field(ge=0, le=50)] | None
    data_as_of: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class TrackRow(Row):
    """One row of ``nrmp_tracks_2025.csv``."""

    track: str
    positions_offered: Count
    positions_unfilled: Count
    usmd_senior_ranked: Count | None
    usmd_senior_matched: Count | None
    usdo_senior_ranked: Count | None
    usdo_senior_matched: Count | None
    us_img_ranked: Count | None
    us_img_matched: Count | None
    non_us_img_ranked: Count | None
    non_us_img_matched: Count | None


class OutcomeRow(Row):
    """One row of ``charting_outcomes_non_us_img_2026.csv``."""

    specialty: str
    measure: Literal["step2ck", "contiguous_ranks", "specialties_ranked"]
    cohort: Literal["matched", "not_matched"]
    n: Count | None
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    mean: float | None
    sd: float | None


class SummaryRow(Row):
    """One row of ``charting_outcomes_non_us_img_2026_summary.csv``."""

    specialty: str
    positions: Count | None
    applicants_preferring_specialty: Count | None
    non_us_img_matched: Count | None
    non_us_img_not_matched: Count | None


class Step2Row(Row):
    """One row of ``step2_us_md_seniors_2026.csv``."""

    specialty: str
    matched_n: Count | None
    matched_q1: float | None
    matched_median: float | None
    matched_q3: float | None
    unmatched_n: Count | None
    unmatched_median: float | None


class ExplorerRow(Row):
    """One row of ``residency_explorer_interview_rates_2024.csv`` (rates 0-1, empty unknown)."""

    specialty: Annotated[str, Field(min_length=1)]
    program_name: Annotated[str, Field(min_length=1)]
    city: str | None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    division: str | None
    ir_signal: Rate | None
    ir_gold_signal: Rate | None
    ir_silver_signal: Rate | None
    ir_no_signal: Rate | None
    ir_in_state_school: Rate | None
    ir_out_of_state_school: Rate | None
    ir_us_md: Rate | None
    ir_us_do: Rate | None
    ir_us_img: Rate | None
    ir_non_us_img: Rate | None


class MatchRateRow(Row):
    """One row of ``match_rates_by_applicant_type.csv``: PGY-1 match rates (%) of a year."""

    match_year: Annotated[int, Field(ge=1952, le=2100)]
    us_md_senior_pct: Pct | None
    us_do_senior_pct: Pct | None
    us_img_pct: Pct | None
    non_us_img_pct: Pct | None


class Fact(Row):
    """One row of ``facts.csv``: a scalar fact with its source."""

    key: Annotated[str, Field(min_length=1)]
    value: float
    unit: str
    description: str
    source: str
    year: str

    @property
    def citation(self) -> str:
        """``source, year`` for display."""
        return f"{self.source}, {self.year}"


class CycleDateRow(Row):
    """One row of ``cycle_dates.csv``: a published date of a Match cycle."""

    match_year: Annotated[int, Field(ge=1952, le=2100)]
    event: Annotated[str, Field(min_length=1)]
    date: dt.date
    source: Annotated[str, Field(min_length=1)]


class SignalCountRow(Row):
    """One row of ``program_signals.csv``: the ERAS program signals of a specialty and season.

    A specialty uses gold + silver signals (``gold`` and ``silver`` set) or one kind
    (``signal`` set), never both; an empty cell is a kind the specialty does not use.
    """

    specialty_code: Annotated[str, Field(pattern=r"^\d{3}$")]
    specialty: Annotated[str, Field(min_length=1)]
    eras_season: Annotated[int, Field(ge=2020, le=2100)]  # ERAS season = the Match year
    gold: Annotated[int, Field(ge=1, le=50)] | None
    silver: Annotated[int, Field(ge=1, le=50)] | None
    signal: Annotated[int, Field(ge=1, le=50)] | None
    source: Annotated[str, Field(min_length=1)]
    note: str | None

    @field_validator("signal")
    @classmethod
    def _one_scheme(cls, v: int | None, info: Any) -> int | None:
        gold, silver = info.data.get("gold"), info.data.get("silver")
        if (gold is None) != (silver is None):
            raise ValueError("gold and silver are given together or not at all")
        if (v is None) == (gold is None):
            raise ValueError("give either gold + silver counts or a single signal count")
        return v
