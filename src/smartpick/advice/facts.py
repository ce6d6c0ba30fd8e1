"""The chosen specialty's published figures, each with its source (pure, from bundled data).

- US-citizen IMG match rate 2025 and IMG share of filled positions: NRMP Advance Data Tables
  2025 (``nrmp_tracks_2025.csv``), categorical track.
- Step 2 CK of matched / not matched non-US IMGs: NRMP Charting Outcomes 2026.
- Step 2 CK of matched US MD seniors: NRMP Charting Outcomes 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from smartpick import datafiles
from smartpick.advice.cite import data_source
from smartpick.datafiles import TrackRow
from smartpick.errors import InputError
from smartpick.memo import persisted
from smartpick.specialties import SPECIALTIES, resolve_specialty

__all__ = [
    "IMG_FRIENDLY_MOST",
    "IMG_FRIENDLY_POSSIBLE",
    "Distribution",
    "Figure",
    "SpecialtyFacts",
    "TypeRates",
    "advanced_positions",
    "friendliness",
    "specialty_facts",
    "type_rates",
]

TRACKS = datafiles.TRACKS_FILE
CO = datafiles.CO_FILE
CO_SUMMARY = datafiles.CO_SUMMARY_FILE
US_MD = datafiles.STEP2_FILE
RATES = datafiles.RATES_FILE

#: The guide's "most realistic" specialties for US IMGs with below-average scores.
IMG_FRIENDLY_MOST: tuple[str, ...] = (
    "Internal Medicine",
    "Family Medicine",
    "Psychiatry",
    "Pediatrics",
)
#: The guide's "possibly, depending on your profile and region".
IMG_FRIENDLY_POSSIBLE: tuple[str, ...] = ("Neurology", "Pathology")

Friendliness = Literal["most", "possible", "less"]


def friendliness(specialty: str) -> Friendliness:
    """How IMG-friendly the guide calls a specialty: most realistic, possible, or less."""
    if specialty in IMG_FRIENDLY_MOST:
        return "most"
    if specialty in IMG_FRIENDLY_POSSIBLE:
        return "possible"
    return "less"


@dataclass(frozen=True)
class Figure:
    """One published (or derived) number with its citation."""

    value: float
    citation: str
    note: str = ""
    year: str = ""


@dataclass(frozen=True)
class Distribution:
    """Quartiles of a score distribution with its citation (q1/q3 may be unpublished)."""

    n: int | None
    q1: float | None
    median: float | None
    q3: float | None
    citation: str


@dataclass(frozen=True)
class SpecialtyFacts:
    """What the published tables say about one specialty (None: not published)."""

    code: str
    name: str
    friendliness: Friendliness
    us_img_ranked_2025: int | None
    us_img_matched_2025: int | None
    #: US-citizen IMGs matched / ranked the track (ranking includes backups), 2025
    us_img_match_rate_2025: Figure | None
    #: (US IMGs + non-US IMGs matched) / filled positions, categorical track, 2025
    img_share_filled_2025: Figure | None
    step2_non_us_img_matched: Distribution | None
    step2_non_us_img_not_matched: Distribution | None
    step2_us_md_matched: Distribution | None


def _tracks_row(name: str | None) -> TrackRow | None:
    if name is None:
        return None
    return next((r for r in datafiles.track_rows() if r.track == name), None)


def _co_dist(co_name: str | None, cohort: str) -> Distribution | None:
    if co_name is None:
        return None
    for r in datafiles.outcome_rows():
        if r.specialty == co_name and r.measure == "step2ck" and r.cohort == cohort:
            if r.median is None:
                return None  # cohort under 5: suppressed
            return Distribution(r.n, r.q1, r.median, r.q3, data_source(CO))
    return None


def _us_md(co_name: str | None) -> Distribution | None:
    if co_name is None:
        return None
    for r in datafiles.step2_rows():
        if r.specialty == co_name and r.matched_median is not None:
            return Distribution(
                r.matched_n, r.matched_q1, r.matched_median, r.matched_q3, data_source(US_MD)
            )
    return None


def specialty_facts(specialty_code: str) -> SpecialtyFacts:
    """Published figures for a specialty given by NRMP code, name or alias."""
    spec = resolve_specialty(specialty_code)
    if spec is None:
        codes = ", ".join(s.code for s in SPECIALTIES)
        raise InputError(f"unknown specialty '{specialty_code}'", field="specialty", allowed=codes)
    row = _tracks_row(spec.tracks_2025.get("C"))
    ranked = matched = None
    rate = share = None
    if row is not None:
        ranked, matched = row.us_img_ranked, row.us_img_matched
        if ranked and matched is not None:
            rate = Figure(
                matched / ranked,
                data_source(TRACKS),
                "US-citizen IMGs who matched to the track among those who ranked it "
                "(ranking includes applicants who used it as a backup)",
            )
        offered, unfilled = row.positions_offered, row.positions_unfilled
        img = (matched or 0) + (row.non_us_img_matched or 0)
        if offered and offered > unfilled:
            share = Figure(
                img / (offered - unfilled),
                data_source(TRACKS),
                "IMGs (US-citizen and non-US) among filled positions, derived",
            )
    return SpecialtyFacts(
        code=spec.code,
        name=spec.name,
        friendliness=friendliness(spec.name),
        us_img_ranked_2025=ranked,
        us_img_matched_2025=matched,
        us_img_match_rate_2025=rate,
        img_share_filled_2025=share,
        step2_non_us_img_matched=_co_dist(spec.charting_outcomes, "matched"),
        step2_non_us_img_not_matched=_co_dist(spec.charting_outcomes, "not_matched"),
        step2_us_md_matched=_us_md(spec.charting_outcomes),
    )


#: Column prefix in nrmp_tracks_2025.csv and rate column in the match-rate table, per type.
_TYPE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "us_md": ("usmd_senior", "us_md_senior_pct", "US MD seniors"),
    "us_do": ("usdo_senior", "us_do_senior_pct", "US DO seniors"),
    "us_img": ("us_img", "us_img_pct", "US-citizen IMGs"),
    "non_us_img": ("non_us_img", "non_us_img_pct", "non-US-citizen IMGs"),
}


@dataclass(frozen=True)
class TypeRates:
    """One applicant type's published figures: the specialty's 2025 track and the overall rate."""

    group: str  # e.g. "US MD seniors"
    ranked: int | None
    matched: int | None
    track_citation: str
    overall: Figure | None


def type_rates(specialty_code: str, applicant_type: str) -> TypeRates:
    """The applicant type's matched / ranked in the specialty (2025) and overall match rate."""
    prefix, rate_col, group = _TYPE_COLUMNS[applicant_type]
    spec = resolve_specialty(specialty_code)
    row = _tracks_row(spec.tracks_2025.get("C")) if spec is not None else None
    ranked = matched = None
    if row is not None:
        ranked, matched = getattr(row, f"{prefix}_ranked"), getattr(row, f"{prefix}_matched")
    overall = None
    rates = [(r.match_year, getattr(r, rate_col)) for r in datafiles.match_rate_rows()]
    known = [(year, pct) for year, pct in rates if pct is not None]
    if known:
        year, pct = max(known, key=lambda yp: yp[0])
        overall = Figure(
            pct / 100,
            data_source(RATES),
            f"PGY-1 match rate of active {group}, {year}",
            str(year),
        )
    return TypeRates(group, ranked, matched, data_source(TRACKS), overall)


@cache
@persisted("advanced_positions", lambda specialty_code: (specialty_code,))
def advanced_positions(specialty_code: str) -> tuple[int, int]:
    """(advanced PGY-2 positions, all positions) of a specialty in the 2026 Match."""
    adv = total = 0
    for r in datafiles.nrmp_rows():
        if r.program_code[4:7] == specialty_code:
            total += r.quota_2026
            adv += r.quota_2026 if r.track == "A" else 0
    return adv, total
