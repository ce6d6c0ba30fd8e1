"""Program terms of the interview model, fitted on Internal Medicine programs (FREIDA 2025).

1. APDIM (JGIM 2021) gives, for community and university IM programs, the IMG share of PGY-1
   positions (ranges) and of interview slots. A line on the logit scale through the two
   (range-midpoint) pairs maps a program's IMG share of residents to its IMG share of
   interviews: ``logit(interview share) = a + b logit(position share)``.
2. A program's IMG interview rate (interviews offered to IMGs per IMG application) is then
   ``interviews_last_year * interview share / IMG applications``, with IMG applications =
   IMGs ranking IM in 2025 (nrmp_tracks_2025) x applications per IMG to IM (AAIM 2016) / number
   of IM programs (applications spread evenly).
3. Weighted least squares of logit(rate) on the program features (weights = interviews) gives
   the program coefficients and their covariance (for the parameter draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smartpick.frame import FloatArray, ProgramFrame
from smartpick.model.features import PROGRAM_FEATURES, expit, logit, program_design
from smartpick.model.targets import fact_value, track_row

__all__ = ["ApdimMap", "ProgramFit", "apdim_map", "fit_program_terms"]

IM_APPLICATIONS_FACT = "img_applications_im_2016"


@dataclass(frozen=True)
class ApdimMap:
    """logit(IMG interview share) = a + b logit(IMG position share)."""

    a: float
    b: float

    def __call__(self, share: FloatArray) -> FloatArray:
        return expit(self.a + self.b * logit(share))


def apdim_map(
    community: tuple[float, float, float] | None = None,
    university: tuple[float, float, float] | None = None,
) -> ApdimMap:
    """Line through (position share, interview share) of community and university programs.

    Each tuple is (position share low, high, interview share), fractions; defaults from facts.csv.
    """
    com = community or (
        fact_value("im_img_share_community_low") / 100,
        fact_value("im_img_share_community_high") / 100,
        fact_value("im_img_interview_share_community") / 100,
    )
    uni = university or (
        fact_value("im_img_share_university_low") / 100,
        fact_value("im_img_share_university_high") / 100,
        fact_value("im_img_interview_share_university") / 100,
    )
    x1, y1 = logit(np.array((com[0] + com[1]) / 2)), logit(np.array(com[2]))
    x2, y2 = logit(np.array((uni[0] + uni[1]) / 2)), logit(np.array(uni[2]))
    b = float((y1 - y2) / (x1 - x2))
    return ApdimMap(a=float(y1 - b * x1), b=b)


@dataclass(frozen=True)
class ProgramFit:
    """Fitted program coefficients (PROGRAM_FEATURES order), intercept and covariance."""

    coef: dict[str, float]
    intercept: float
    cov: FloatArray  # (m, m) covariance of the coefficients (without intercept)
    n: int
    img_applications: float  # IMG applications per IM program
    r2: float


def fit_program_terms(im: ProgramFrame, mapping: ApdimMap) -> ProgramFit:
    """WLS of the IMG interview rate of IM programs with a published share and interview count."""
    ok = (
        np.isfinite(im.img_share)
        & (im.img_share_source == "published")
        & np.isfinite(im.interviews_last_year)
        & (im.interviews_last_year > 0)
        & (im.positions > 0)
    )
    row = track_row("140C")
    assert row is not None
    img_ranked = row.ranked["us_img"] + row.ranked["non_us_img"]
    apps = img_ranked * fact_value(IM_APPLICATIONS_FACT) / len(im)
    sub = im.take(np.flatnonzero(ok))
    share_l = logit(sub.img_share)
    rate = sub.interviews_last_year * mapping(sub.img_share) / apps
    y = logit(np.clip(rate, 1e-3, 0.999))
    x = np.column_stack([np.ones(len(sub)), program_design(sub, share_l)])
    w = sub.interviews_last_year
    xw = x * w[:, None]
    xtwx = x.T @ xw
    xtwx += np.eye(x.shape[1]) * 1e-6 * np.trace(xtwx) / x.shape[1]  # empty dummy columns
    beta = np.linalg.solve(xtwx, xw.T @ y)
    resid = y - x @ beta
    dof = max(len(y) - x.shape[1], 1)
    sigma2 = float(np.sum(w * resid**2) / np.sum(w) * len(y) / dof)
    cov = sigma2 * np.linalg.inv(xtwx / np.mean(w))
    flat = np.ptp(x, axis=0) == 0  # constant columns (e.g. no unknown setting): not identified
    flat[0] = False
    cov[flat, :] = 0.0
    cov[:, flat] = 0.0
    ybar = np.average(y, weights=w)
    r2 = 1.0 - float(np.sum(w * resid**2) / np.sum(w * (y - ybar) ** 2))
    return ProgramFit(
        coef={f: float(b) for f, b in zip(PROGRAM_FEATURES, beta[1:], strict=True)},
        intercept=float(beta[0]),
        cov=np.asarray(cov[1:, 1:]),
        n=len(y),
        img_applications=float(apps),
        r2=r2,
    )
