"""Reach / target / safety tiers from documented, configurable interview-probability bands.

The default bands come from published interview rates per application (the model's scale is
the probability of an interview offer per application):

- IMGs who matched had a median of 8 interviews from 60 applications (0.133 per application);
  those who did not match had 2 from 66 (0.030) (NRMP applicant survey via a secondary report,
  ``facts.csv``: ``interviews_img_matched_median``, ``applications_img_matched_median``,
  ``interviews_img_unmatched_median``, ``applications_img_unmatched_median``).
- *safety* (p ≥ 0.133): at this program you do at least as well as the typical IMG who matched —
  the guide's "solidly within their usual matched range";
- *target* (0.030 ≤ p < 0.133): between the typical unmatched and matched IMG's rate —
  "comparable to or just above yours";
- *reach* (p < 0.030): below even the typical unmatched IMG's rate — "you might be just below
  their typical range".

These absolute bands are the fallback. **The planner uses bands relative to the applicant**
(:func:`relative_bands`): under honest odds a low scorer's chance is below 3 % almost
everywhere and a strong applicant's above 13 %, so absolute bands call nearly every list "all
reach" or "no safety" and say nothing about which programs of *this* list are long shots.
The applicant's *typical chance* is the median interview probability of their best
``REFERENCE_PROGRAMS`` listable programs (60: the median number of applications of IMGs who
matched, ``applications_img_matched_median``, the same published figure). A program is a
*safety* when its odds of an interview are at least ``TIER_ODDS_RATIO`` (1.5, our rule) times
the odds at the typical chance, a *reach* when they are at most 1/1.5 of them, a *target* in
between. Odds rather than probabilities keep the bands inside (0, 1) for strong applicants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.datafiles import fact
from smartpick.errors import InputError
from smartpick.frame import FloatArray, ObjArray


def _rate(interviews: str, applications: str) -> float:
    return fact(interviews).value / fact(applications).value


#: Interview offers per application of IMGs who did not match / who matched (see above).
UNMATCHED_RATE = _rate("interviews_img_unmatched_median", "applications_img_unmatched_median")
MATCHED_RATE = _rate("interviews_img_matched_median", "applications_img_matched_median")

__all__ = [
    "DEFAULT_MIX",
    "REFERENCE_PROGRAMS",
    "TIERS",
    "TIER_ODDS_RATIO",
    "TierBands",
    "TierMix",
    "assign_tiers",
    "relative_bands",
    "tier_counts",
]

#: Programs whose median chance is the applicant's typical chance: IMGs who matched applied to
#: a median of 60 programs (``applications_img_matched_median``).
REFERENCE_PROGRAMS = int(fact("applications_img_matched_median").value)
#: Odds ratio to the typical chance at the tier edges (our rule: "half as likely again").
TIER_ODDS_RATIO = 1.5

TIERS: tuple[str, ...] = ("reach", "target", "safety")


@dataclass(frozen=True)
class TierBands:
    """Interview-probability thresholds: reach < ``target_min`` ≤ target < ``safety_min``."""

    target_min: float = UNMATCHED_RATE
    safety_min: float = MATCHED_RATE
    reference: float | None = None  # the applicant's typical chance (relative bands only)

    def __post_init__(self) -> None:
        if not 0.0 < self.target_min < self.safety_min <= 1.0:
            raise InputError(
                f"target_min={self.target_min}, safety_min={self.safety_min}",
                field="tier_bands",
                allowed="0 < target_min < safety_min ≤ 1",
            )


@dataclass(frozen=True)
class TierMix:
    """Aimed-for share of each tier in a list (the guide's ranges; midpoints are the aim)."""

    reach: tuple[float, float] = (0.20, 0.25)
    target: tuple[float, float] = (0.40, 0.50)
    safety: tuple[float, float] = (0.30, 0.40)

    def aim(self) -> npt.NDArray[np.float64]:
        """Normalised midpoints in TIERS order (reach, target, safety)."""
        mid = np.array([sum(self.reach), sum(self.target), sum(self.safety)]) / 2.0
        return np.asarray(mid / mid.sum(), dtype=np.float64)

    def ranges(self) -> dict[str, tuple[float, float]]:
        """The stated range of each tier."""
        return {"reach": self.reach, "target": self.target, "safety": self.safety}


#: The guide's mix for a low Step 2 CK applicant: 20-25 % reach, 40-50 % target, 30-40 % safety.
DEFAULT_MIX = TierMix()


def relative_bands(
    p: npt.ArrayLike, *, ratio: float = TIER_ODDS_RATIO, programs: int = REFERENCE_PROGRAMS
) -> TierBands:
    """Bands around the applicant's typical chance among the listable programs ``p``.

    The typical chance is the median of the ``programs`` highest ``p``; the edges are its odds
    divided and multiplied by ``ratio``. No listable program: the absolute bands.
    """
    if ratio <= 1.0:
        raise InputError(f"{ratio}", field="tier_ratio", allowed="a ratio > 1")
    arr = np.asarray(p, dtype=np.float64)
    if not arr.size:
        return TierBands()
    top = -np.sort(-arr)[:programs]  # highest first
    ref = min(max(_sorted_median(top), 1e-9), 1.0 - 1e-9)
    odds = ref / (1.0 - ref)
    lo, hi = odds / ratio, odds * ratio
    return TierBands(lo / (1.0 + lo), hi / (1.0 + hi), reference=ref)


def _sorted_median(ordered: FloatArray) -> float:
    """``np.median`` of a sorted, NaN-free, non-empty array (either direction): the middle
    value, or the mean of the two middle ones as NumPy takes it (their sum halved), without
    its general machinery (a plan asks for two parts' bands)."""
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (float(ordered[mid - 1]) + float(ordered[mid])) / 2.0


def tier_codes(p: npt.ArrayLike, bands: TierBands = TierBands()) -> npt.NDArray[np.int8]:
    """0 = reach, 1 = target, 2 = safety for each interview probability."""
    arr = np.asarray(p, dtype=np.float64)
    return np.asarray(
        (arr >= bands.target_min).astype(np.int8) + (arr >= bands.safety_min).astype(np.int8),
        dtype=np.int8,
    )


def assign_tiers(p: npt.ArrayLike, bands: TierBands = TierBands()) -> ObjArray:
    """Tier name ("reach" | "target" | "safety") for each interview probability."""
    return np.asarray(np.array(TIERS, dtype=object)[tier_codes(p, bands)], dtype=object)


def tier_counts(tiers: npt.ArrayLike) -> dict[str, int]:
    """Programs per tier: ``{"reach": r, "target": t, "safety": s}``."""
    arr = np.asarray(tiers, dtype=object)
    return {t: int(np.count_nonzero(arr == t)) for t in TIERS}
