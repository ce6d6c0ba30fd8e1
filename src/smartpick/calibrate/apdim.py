"""The APDIM check: IMG share of interview slots in IM programs by setting (not fitted).

APDIM (JGIM 2021, 2017 survey) reports that IMGs got 45% of the interview / rank slots of
community IM programs and 15% of university ones. APDIM splits programs in two: university-based
and community-based; FREIDA has three settings, and its "community-based,
university-affiliated" programs are community-based, so both count as community here. The
position-weighted published IMG share of each group is reported next to APDIM's position ranges
(55-70% community, 22-30% university) as a check of that grouping.

The model's IMG interviews at program j: for each applicant type (non-US IMGs needing a J-1,
US IMGs), the 2025 number who ranked IM times the expected interviews per ranked applicant,
``E[K_j | K >= 1] = (A / N) p_j / P(K >= 1)`` averaged over the simulated population (ranked
applicants are those with at least one interview). The share is their sum over the group's
programs divided by the programs' FREIDA interview counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from smartpick.frame import ObjArray, ProgramFrame
from smartpick.model.features import effective_setting, expit
from smartpick.model.targets import fact_value

from .simulate import GRID, simulate

if TYPE_CHECKING:
    from .calibration import Fitted
    from .population import Population
    from .report import Target

__all__ = ["APDIM_GROUPS", "apdim_checks"]

#: FREIDA settings in each of APDIM's two program types.
APDIM_GROUPS: dict[str, tuple[str, ...]] = {
    "community": ("community", "affiliated"),
    "university": ("university",),
}
SOURCE = "APDIM surveys, JGIM 2021 (2017 figure)"


def _img_interviews(pop: Population, fitted: Fitted, n_programs: int, unit: float) -> np.ndarray:
    """Expected IMG interviews per IM program (non-US IMGs + US IMGs who ranked IM in 2025)."""
    c = pop.cohorts["140C"]
    alpha, beta, tau = fitted.alpha["140C"], fitted.b("140C"), fitted.tau
    groups = [(c.table_visa, 0.0, 0.0, float(c.ranked.get("non_us_img", 0)), True)]
    if "us_img" in fitted.delta:
        off = fitted.delta_cohort.get("us_img", {}).get("140C", fitted.delta["us_img"])
        groups.append(
            (c.table_novisa, c.type_shift["us_img"], off, float(c.ranked.get("us_img", 0)), False)
        )
    per_program = c.cohort.applications / n_programs
    out = np.zeros(n_programs)
    for table, shift, offset, n, visa in groups:
        s = simulate(c.cohort, table, alpha, beta, tau, unit=unit, shift=shift, offset=offset)
        off_j = c.cohort.offsets + (c.cohort.visa_terms if visa else 0.0)
        keep = ~c.cohort.visa_blocked if visa else np.ones(len(off_j), dtype=bool)
        eta = s.eta.ravel()
        lam = np.exp(np.interp(eta, GRID, table))
        p1 = np.maximum(1.0 - np.exp(-lam), 1e-300)
        w = s.weights.ravel() / p1  # E[K | K >= 1] = lambda / P(K >= 1)
        out += n * per_program * (w @ expit(eta[:, None] + off_j[None, :])) * keep
    return out


def apdim_checks(
    pop: Population, fitted: Fitted, frame: ProgramFrame, keys: ObjArray, unit: float, tol: float
) -> list[Target]:
    """Model vs APDIM IMG share of interview slots, community and university IM programs."""
    from .report import Target

    if "140C" not in pop.cohorts or "140C" not in fitted.alpha:
        return []
    im = frame.take(np.flatnonzero(keys == "140C"))
    img = _img_interviews(pop, fitted, len(im), unit)
    ok = np.isfinite(im.interviews_last_year) & (im.interviews_last_year > 0)
    setting = effective_setting(im)
    pub = np.isfinite(im.img_share) & (im.img_share_source == "published") & (im.positions > 0)
    out = []
    for name, settings in APDIM_GROUPS.items():
        member = np.isin(setting, settings)
        sel = ok & member
        val = float(img[sel].sum() / im.interviews_last_year[sel].sum())
        ps = pub & member
        share = float(np.average(im.img_share[ps], weights=im.positions[ps]))
        lo = fact_value(f"im_img_share_{name}_low")
        hi = fact_value(f"im_img_share_{name}_high")
        note = (
            f"FREIDA settings {' + '.join(settings)}; their published IMG share of positions "
            f"{share:.0%} (APDIM: {lo:.0f}-{hi:.0f}%)"
        )
        out.append(
            Target(
                "IMGs (all)",
                f"Internal Medicine, {name} programs",
                "IMG share of interviews",
                fact_value(f"im_img_interview_share_{name}") / 100,
                val,
                tol,
                SOURCE,
                "check",
                note,
            )
        )
    return out
