"""Published figures the model is fitted to, read from the bundled data files.

Pure: reads the bundled files through their typed readers (:mod:`smartpick.datafiles`). Every
value carries the file and year it came from, so the calibration report can cite it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from smartpick import datafiles
from smartpick.datafiles import fact
from smartpick.errors import ModelError
from smartpick.specialties import SPECIALTIES, Specialty, by_code

__all__ = [
    "CO_FILE",
    "CO_SUMMARY_FILE",
    "TRACKS_FILE",
    "Distribution",
    "TrackRow",
    "applicant_type_rates",
    "co_distribution",
    "co_summary",
    "cohort_key",
    "specialty_img_share",
    "step2_us_md",
    "track_row",
]

CO_FILE = datafiles.CO_FILE
CO_SUMMARY_FILE = datafiles.CO_SUMMARY_FILE
TRACKS_FILE = datafiles.TRACKS_FILE
RATES_FILE = datafiles.RATES_FILE
US_MD_FILE = datafiles.STEP2_FILE

#: Applicant types and their column prefix in nrmp_tracks_2025.csv.
TYPE_COLUMNS: dict[str, str] = {
    "us_md": "usmd_senior",
    "us_do": "usdo_senior",
    "us_img": "us_img",
    "non_us_img": "non_us_img",
}


@dataclass(frozen=True)
class Distribution:
    """A published distribution summary (n, min, quartiles, max, mean, sd)."""

    n: int
    min: float
    q1: float
    median: float
    q3: float
    max: float
    mean: float
    sd: float


@dataclass(frozen=True)
class TrackRow:
    """One row of the 2025 per-track table: positions and ranked / matched per applicant type."""

    name: str
    positions: int
    unfilled: int
    ranked: dict[str, int]
    matched: dict[str, int]

    @property
    def img_share(self) -> float:
        """IMG share (US + non-US IMGs) of filled positions, 2025."""
        filled = self.positions - self.unfilled
        imgs = self.matched["us_img"] + self.matched["non_us_img"]
        return imgs / filled if filled > 0 else float("nan")

    def rate(self, applicant_type: str) -> float:
        """Matched / ranked for one applicant type (nan if nobody ranked)."""
        r = self.ranked[applicant_type]
        return self.matched[applicant_type] / r if r > 0 else float("nan")


def cohort_key(specialty_code: str, track: str) -> str:
    """The model's cohort of a program: specialty code + "P" for PGY-1-only tracks, else "C".

    Categorical, primary-care and advanced/physician tracks of a specialty share one cohort
    (one Charting Outcomes table); preliminary PGY-1 positions form their own.
    """
    return specialty_code + ("P" if track == "P" else "C")


def _num(value: float | None) -> float:
    return value if value is not None else float("nan")


@cache
def co_distribution(specialty: str, measure: str, cohort: str) -> Distribution | None:
    """A Charting Outcomes 2026 distribution (None when suppressed or absent)."""
    for row in datafiles.outcome_rows():
        if (row.specialty, row.measure, row.cohort) == (specialty, measure, cohort):
            if row.median is None:
                return None
            return Distribution(
                n=row.n or 0,
                min=_num(row.min),
                q1=_num(row.q1),
                median=row.median,
                q3=_num(row.q3),
                max=_num(row.max),
                mean=_num(row.mean),
                sd=_num(row.sd),
            )
    return None


@cache
def co_summary(specialty: str) -> tuple[int, int] | None:
    """(matched, not matched) non-US IMGs preferring the specialty, Charting Outcomes 2026."""
    for row in datafiles.co_summary_rows():
        if row.specialty == specialty:
            return row.non_us_img_matched or 0, row.non_us_img_not_matched or 0
    return None


@cache
def _tracks() -> dict[str, TrackRow]:
    out: dict[str, TrackRow] = {}
    for row in datafiles.track_rows():
        out[row.track] = TrackRow(
            name=row.track,
            positions=row.positions_offered,
            unfilled=row.positions_unfilled,
            ranked={t: getattr(row, f"{c}_ranked") or 0 for t, c in TYPE_COLUMNS.items()},
            matched={t: getattr(row, f"{c}_matched") or 0 for t, c in TYPE_COLUMNS.items()},
        )
    return out


def all_pgy1() -> TrackRow:
    """The "All PGY-1" row of the 2025 per-track table."""
    return _tracks()["All PGY-1 (All specialties)"]


def _track_name(spec: Specialty, track: str) -> str | None:
    if track == "P":
        if spec.code == "999":  # transitional year: listed as its own PGY-1 track
            return spec.tracks_2025.get("C")
        return spec.tracks_2025.get("P")
    return spec.tracks_2025.get("C")


def track_row(key: str) -> TrackRow | None:
    """The 2025 per-track row of a cohort key (see :func:`cohort_key`), or None."""
    try:
        spec = by_code(key[:3])
    except KeyError:
        return None
    name = _track_name(spec, key[3:] or "C")
    return _tracks().get(name) if name else None


def co_name(key: str) -> str | None:
    """Charting Outcomes specialty name of a cohort key (categorical cohorts only)."""
    if not key.endswith("C"):
        return None
    try:
        return by_code(key[:3]).charting_outcomes
    except KeyError:
        return None


def specialty_img_share(key: str) -> float:
    """IMG share of filled positions in 2025 for a cohort (nan if the track is unpublished)."""
    row = track_row(key)
    return row.img_share if row is not None else float("nan")


def applicant_type_rates(year: int = 2025) -> dict[str, float]:
    """Overall PGY-1 match rate (0-1) of active applicants by type, one year."""
    for row in datafiles.match_rate_rows():
        if row.match_year == year:
            return {
                "us_md": _num(row.us_md_senior_pct) / 100,
                "us_do": _num(row.us_do_senior_pct) / 100,
                "us_img": _num(row.us_img_pct) / 100,
                "non_us_img": _num(row.non_us_img_pct) / 100,
            }
    raise ModelError(f"{RATES_FILE}: no row for match_year {year}")


@cache
def step2_us_md(co_specialty: str) -> tuple[float, float, float] | None:
    """(q1, median, q3) Step 2 CK of matched US MD seniors, Charting Outcomes 2026."""
    for row in datafiles.step2_rows():
        if row.specialty == co_specialty and row.matched_median is not None:
            return _num(row.matched_q1), row.matched_median, _num(row.matched_q3)
    return None


def co_specialties() -> list[str]:
    """Charting Outcomes specialty names that map to an NRMP specialty code."""
    return [s.charting_outcomes for s in SPECIALTIES if s.charting_outcomes]


def fact_value(key: str) -> float:
    """A scalar from facts.csv."""
    return fact(key).value
