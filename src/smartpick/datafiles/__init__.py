"""The one typed reader of each bundled data file (pure: package resources only).

Every CSV under ``smartpick/data`` has exactly one row model (:data:`ROW_TYPES`) and one reader
below, which validates every row (:func:`parse_rows`: a bad row names the file, line and column)
and returns frozen records, cached. The catalog build validates a user's ``--data-dir`` copies
with the same models; the runtime (model, plan, advice) reads the bundled files here.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from smartpick.memo import persisted
from smartpick.resources import read_text

from .parse import parse_rows
from .rows import (
    CycleDateRow,
    ExplorerRow,
    Fact,
    FreidaRow,
    MatchRateRow,
    NrmpRow,
    OutcomeRow,
    Row,
    SignalCountRow,
    Step2Row,
    SummaryRow,
    TrackRow,
)

__all__ = [
    "CO_FILE",
    "CO_SUMMARY_FILE",
    "CYCLE_DATES_FILE",
    "EXPLORER_FILE",
    "FACTS_FILE",
    "FREIDA_FILE",
    "NRMP_FILE",
    "RATES_FILE",
    "ROW_TYPES",
    "SIGNALS_FILE",
    "STEP2_FILE",
    "TRACKS_FILE",
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
    "co_summary_rows",
    "cycle_date_rows",
    "explorer_rows",
    "fact",
    "facts",
    "freida_rows",
    "match_rate_rows",
    "nrmp_rows",
    "outcome_rows",
    "parse_rows",
    "signal_count_rows",
    "step2_rows",
    "track_rows",
]

NRMP_FILE = "nrmp_programs_2026.csv"
FREIDA_FILE = "freida_im_programs_2025.csv"
TRACKS_FILE = "nrmp_tracks_2025.csv"
CO_FILE = "charting_outcomes_non_us_img_2026.csv"
CO_SUMMARY_FILE = "charting_outcomes_non_us_img_2026_summary.csv"
STEP2_FILE = "step2_us_md_seniors_2026.csv"
EXPLORER_FILE = "residency_explorer_interview_rates_2024.csv"
RATES_FILE = "match_rates_by_applicant_type.csv"
FACTS_FILE = "facts.csv"
CYCLE_DATES_FILE = "cycle_dates.csv"
SIGNALS_FILE = "program_signals.csv"

#: The row model of every bundled CSV (one per file).
ROW_TYPES: dict[str, type[Row]] = {
    NRMP_FILE: NrmpRow,
    FREIDA_FILE: FreidaRow,
    TRACKS_FILE: TrackRow,
    CO_FILE: OutcomeRow,
    CO_SUMMARY_FILE: SummaryRow,
    STEP2_FILE: Step2Row,
    EXPLORER_FILE: ExplorerRow,
    RATES_FILE: MatchRateRow,
    FACTS_FILE: Fact,
    CYCLE_DATES_FILE: CycleDateRow,
    SIGNALS_FILE: SignalCountRow,
}

R = TypeVar("R", bound=Row)


@persisted("bundled_rows", lambda name, model: (name, model.__qualname__))
def _bundled(name: str, model: type[R]) -> tuple[R, ...]:
    return parse_rows(name, read_text(name), model)


@cache
def nrmp_rows() -> tuple[NrmpRow, ...]:
    """NRMP Program Results, 2026 Main Residency Match: one row per program track."""
    return _bundled(NRMP_FILE, NrmpRow)


@cache
def freida_rows() -> tuple[FreidaRow, ...]:
    """AMA FREIDA Internal Medicine programs (data as of 2025-03-28), as published."""
    return _bundled(FREIDA_FILE, FreidaRow)


@cache
def track_rows() -> tuple[TrackRow, ...]:
    """NRMP Advance Data Tables 2025: positions, ranked and matched per applicant type."""
    return _bundled(TRACKS_FILE, TrackRow)


@cache
def outcome_rows() -> tuple[OutcomeRow, ...]:
    """NRMP Charting Outcomes 2026, non-US IMGs: distributions per specialty and cohort."""
    return _bundled(CO_FILE, OutcomeRow)


@cache
def co_summary_rows() -> tuple[SummaryRow, ...]:
    """NRMP Charting Outcomes 2026, non-US IMGs: matched / not matched per specialty."""
    return _bundled(CO_SUMMARY_FILE, SummaryRow)


@cache
def step2_rows() -> tuple[Step2Row, ...]:
    """NRMP Charting Outcomes 2026, US MD seniors: Step 2 CK quartiles per specialty."""
    return _bundled(STEP2_FILE, Step2Row)


@cache
def explorer_rows() -> tuple[ExplorerRow, ...]:
    """AAMC Residency Explorer 2024: interview rates per program and applicant group."""
    return _bundled(EXPLORER_FILE, ExplorerRow)


@cache
def match_rate_rows() -> tuple[MatchRateRow, ...]:
    """NRMP PGY-1 match rates (%) of active applicants by type, one row per Match year."""
    return _bundled(RATES_FILE, MatchRateRow)


@cache
def cycle_date_rows() -> tuple[CycleDateRow, ...]:
    """Published dates of the application cycles (AAMC ERAS, NRMP)."""
    return _bundled(CYCLE_DATES_FILE, CycleDateRow)


@cache
def signal_count_rows() -> tuple[SignalCountRow, ...]:
    """ERAS program signals per specialty and season (AAMC, AAIM), as published."""
    return _bundled(SIGNALS_FILE, SignalCountRow)


@cache
def facts() -> dict[str, Fact]:
    """All scalar facts from ``facts.csv`` keyed by name."""
    return {f.key: f for f in _bundled(FACTS_FILE, Fact)}


def fact(key: str) -> Fact:
    """One scalar fact by name (KeyError if unknown)."""
    return facts()[key]
