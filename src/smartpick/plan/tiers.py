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

The service may pass other bands (``TierBands(target_min, safety_min)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.datafiles import fact
from smartpick.errors import InputError
from smartpick.frame import ObjArray


def _rate(interviews: str, applications: str) -> float:
    return fact(interviews).value / fact(applications).value


#: Interview offers per application of IMGs who did not match / who matched (see above).
UNMATCHED_RATE = _rate("interviews_img_unmatched_median", "applications_img_unmatched_median")
MATCHED_RATE = _rate("interviews_img_matched_median", "applications_img_matched_median")

__all__ = ["DEFAULT_MIX", "TIERS", "TierBands", "TierMix", "assign_tiers", "tier_counts"]

TIERS: tuple[str, ...] = ("reach", "target", "safety")


@dataclass(frozen=True)
class TierBands:
    """Interview-probability thresholds: reach < ``target_min`` ≤ target < ``safety_min``."""

    target_min: float = UNMATCHED_RATE
    safety_min: float = MATCHED_RATE

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
