"""The calibration report: every target, the model's value, the gap, pass / fail."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from smartpick.frame import ObjArray, ProgramFrame
from smartpick.model.img_share import ShareFit
from smartpick.model.params import ModelParams
from smartpick.model.targets import applicant_type_rates

from .apdim import apdim_checks
from .fit_program import ApdimMap, ProgramFit
from .simulate import cdf, simulate

if TYPE_CHECKING:
    from .calibration import Fitted
    from .population import Population

__all__ = ["BANDS", "CalibrationReport", "Target", "checks"]

#: Score bands of the guide ("< 220 low", "220-229", "230-244", "245+ strong").
BANDS: tuple[tuple[str, float, float], ...] = (
    ("<220", 0.0, 219.5),
    ("220-229", 219.5, 229.5),
    ("230-244", 229.5, 244.5),
    ("245+", 244.5, 400.0),
)
TOL = {
    "match rate": 0.01,
    "Step 2 CK mean, matched": 3.0,
    "Step 2 CK mean, not matched": 3.0,
    "contiguous ranks mean, matched": 1.5,
    "contiguous ranks mean, not matched": 1.5,
    "contiguous ranks median, matched": 2.0,
    "contiguous ranks median, not matched": 2.0,
    "match rate in score band": 0.12,
    "type match rate": 0.08,
    "overall match rate": 0.08,
    "IMG share of interviews": 0.12,
}


@dataclass(frozen=True)
class Target:
    """One published figure and the model's value."""

    group: str
    cohort: str
    measure: str
    target: float
    model: float
    tolerance: float
    source: str
    role: str  # "fitted" (a parameter was solved for it) or "check" (not used in fitting)
    note: str = ""

    @property
    def gap(self) -> float:
        return self.model - self.target

    @property
    def passed(self) -> bool:
        return bool(abs(self.gap) <= self.tolerance)


@dataclass(frozen=True)
class CalibrationReport:
    """Targets plus the sections of the report."""

    targets: list[Target]
    share: dict[str, Any]
    program: dict[str, Any]
    parameters: dict[str, Any]
    priors: dict[str, dict[str, Any]]
    adaptation: list[str]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


CO = "Charting Outcomes 2026 (non-US IMGs)"


def checks(
    params: ModelParams,
    pop: Population,
    fitted: Fitted,
    share: ShareFit,
    prog: ProgramFit,
    mapping: ApdimMap,
    seconds: float,
    frame: ProgramFrame,
    keys: ObjArray,
) -> CalibrationReport:
    """Compare the fitted model with every published target."""
    t = fitted.tau
    unit = params.score_unit
    out: list[Target] = []
    type_sim: dict[str, list[tuple[float, int]]] = {}
    for key, c in pop.cohorts.items():
        if key not in fitted.alpha:
            continue
        a = fitted.alpha[key]
        b = fitted.b(key)
        s = simulate(c.cohort, c.table_visa, a, b, t, unit=unit)
        pub = c.published
        if pub is not None:
            name = pub.name
            for measure, tgt, val in (
                ("match rate", pub.rate, s.rate),
                ("Step 2 CK mean, matched", pub.step2_matched, s.step2_matched),
                ("Step 2 CK mean, not matched", pub.step2_unmatched, s.step2_unmatched),
                ("contiguous ranks mean, matched", pub.ranks_matched_mean, s.ranks_matched_mean),
                (
                    "contiguous ranks mean, not matched",
                    pub.ranks_unmatched_mean,
                    s.ranks_unmatched_mean,
                ),
                (
                    "contiguous ranks median, matched",
                    pub.ranks_matched_median,
                    s.ranks_matched_median,
                ),
                (
                    "contiguous ranks median, not matched",
                    pub.ranks_unmatched_median,
                    s.ranks_unmatched_median,
                ),
            ):
                role = "check" if "median" in measure else "fitted"
                out.append(Target("non-US IMG", name, measure, tgt, val, TOL[measure], CO, role))
            pm = s.weights.sum(axis=1)
            for band, lo, hi in BANDS:
                fm = cdf(pub.step2_m, hi) - cdf(pub.step2_m, lo)
                fu = cdf(pub.step2_u, hi) - cdf(pub.step2_u, lo)
                if (fm + fu) < 0.05:
                    continue  # too few published applicants in the band
                tgt = pub.rate * fm / (pub.rate * fm + (1 - pub.rate) * fu)
                sel = (c.cohort.scores >= lo) & (c.cohort.scores < hi)
                val = float(np.sum(s.weights[sel] * s.p_match[sel]) / pm[sel].sum())
                out.append(
                    Target(
                        "non-US IMG",
                        f"{name}, Step 2 {band}",
                        "match rate in score band",
                        tgt,
                        val,
                        TOL["match rate in score band"],
                        CO + ", from the quartiles",
                        "check",
                    )
                )
        elif c.rate_target is not None:
            reach = a in (-14.0, 7.0)
            out.append(
                Target(
                    "non-US IMG",
                    key,
                    "match rate",
                    c.rate_target,
                    s.rate,
                    TOL["match rate"],
                    "nrmp_tracks_2025 matched/ranked, odds x pooled CO/track odds ratio",
                    "fitted",
                    "out of reach: below M(1) of the pooled curve" if reach else "",
                )
            )
        for ty, (tgt, n) in c.type_targets.items():
            own = fitted.delta_cohort.get(ty, {}).get(key)
            st = simulate(
                c.cohort,
                c.table_novisa,
                a,
                b,
                t,
                unit=unit,
                shift=c.type_shift[ty],
                offset=fitted.delta[ty] if own is None else own,
            )
            type_sim.setdefault(ty, []).append((st.rate, n))
            out.append(
                Target(
                    ty,
                    pub.name if pub else key,
                    "type match rate",
                    tgt,
                    st.rate,
                    TOL["type match rate"],
                    "CO 2026 odds x 2025 track odds ratio (type / non-US IMGs)",
                    "fitted" if own is not None else "check (pooled offset)",
                    "out of reach: above M(kmax) of the curve" if own in (-14.0, 7.0) else "",
                )
            )
    # overall rates by type: ratio of the model's rates to its non-US IMG rates (weighted by
    # 2025 ranked counts) times the published 2025 non-US IMG rate
    rates = applicant_type_rates(2025)
    nonus = _nonus_rates(pop, fitted, unit)
    base = float(np.average([r for r, _ in nonus], weights=[n for _, n in nonus]))
    for ty in ("us_img",):
        sims = type_sim.get(ty, [])
        if not sims:
            continue
        model = float(np.average([r for r, _ in sims], weights=[n for _, n in sims]))
        odds = (model / (1 - model)) / (base / (1 - base)) * _o(rates["non_us_img"])
        out.append(
            Target(
                ty,
                "all specialties",
                "overall match rate",
                rates[ty],
                odds / (1 + odds),
                TOL["overall match rate"],
                "match_rates_by_applicant_type 2025 (odds ratio to non-US IMGs applied)",
                "check",
            )
        )
    out += apdim_checks(pop, fitted, frame, keys, unit, TOL["IMG share of interviews"])
    return CalibrationReport(
        targets=out,
        share=asdict(share),
        program={
            "n": prog.n,
            "r2": prog.r2,
            "img_applications_per_program": prog.img_applications,
            "apdim_map": {"a": mapping.a, "b": mapping.b},
            "coef": prog.coef,
            "se": dict(zip(prog.coef, np.sqrt(np.diag(prog.cov)).tolist(), strict=True)),
        },
        parameters={
            "beta_score_per_10_points": fitted.beta,
            "beta_score_se": fitted.slopes.pooled_se if fitted.slopes else float("nan"),
            "beta_score_common": fitted.beta_common,
            "beta_score_common_se": float(np.sqrt(fitted.cov_bt[0, 0])),
            "slopes": _slopes(pop, fitted),
            "tau": fitted.tau,
            "tau_se": float(np.sqrt(fitted.cov_bt[1, 1])),
            "alpha": fitted.alpha,
            "alpha_se": fitted.alpha_se,
            "type_offset": fitted.delta,
            "type_offset_se": fitted.delta_se,
            "type_score_shift": pop.type_shift_rule,
            "co_to_track_rate_ratio": pop.rate_ratio,
        },
        priors={k: asdict(p) for k, p in params.priors.items()},
        adaptation=_adaptation(pop),
        seconds=seconds,
    )


def _slopes(pop: Population, fitted: Fitted) -> dict[str, Any]:
    """The partially pooled Step 2 CK slopes (see :mod:`.slopes`)."""
    sf = fitted.slopes
    if sf is None:
        return {}
    rows = {}
    for key, cs in sf.cohorts.items():
        pub = pop.cohorts[key].published
        rows[key] = asdict(cs) | {
            "name": pub.name if pub else key,
            "published_gap": pub.step2_matched - pub.step2_unmatched if pub else float("nan"),
        }
    return {
        "pooled": sf.pooled,
        "pooled_se": sf.pooled_se,
        "between_sd": sf.between_sd,
        "predictive_sd": sf.predictive_sd,
        "q": sf.q,
        "k": sf.k,
        "cohorts": rows,
    }


def _o(p: float) -> float:
    return p / (1.0 - p)


def _nonus_rates(pop: Population, fitted: Fitted, unit: float) -> list[tuple[float, int]]:
    out = []
    for key, c in pop.cohorts.items():
        if key in fitted.alpha and c.type_targets:
            s = simulate(
                c.cohort, c.table_visa, fitted.alpha[key], fitted.b(key), fitted.tau, unit=unit
            )
            out.append((s.rate, max(c.ranked.get("non_us_img", 0), 1)))
    return out


def _adaptation(pop: Population) -> list[str]:
    us = pop.type_shift_rule["us_img"]
    return [
        "Charting Outcomes 2026 publishes Step 2 CK and contiguous-rank distributions only for "
        "non-US IMGs. The model is fitted on them and adapted for US IMGs as follows.",
        f"Scores: the US-IMG population is the non-US IMG one shifted by {us:+.0f} points, the "
        "gap between matched US IMGs (235) and non-US IMGs (245) in Internal Medicine (Charting "
        "Outcomes 2022); the same shift is used in every specialty (no other figure exists).",
        "Visa: non-US IMGs are simulated as needing J-1 sponsorship (priors from the PD survey; "
        "programs stating no J-1 sponsorship excluded); US IMGs need none.",
        "Level: one log-odds offset for US IMGs, fitted so the simulated US-IMG match rates "
        "reproduce, per specialty, the Charting Outcomes non-US rate times the ratio of the 2025 "
        "per-track rates (US IMG matched/ranked over non-US IMG matched/ranked, "
        "nrmp_tracks_2025), weighted by US IMGs ranking; checked against the overall 2025 rates "
        "by applicant type (67.8% vs 58.0%).",
        "Match curve M(k): the non-US IMG curve is used for US IMGs (no US-IMG rank data).",
        "US MD / DO seniors: scores shifted by the gap between matched US MD seniors' and "
        "non-US IMGs' median Step 2 CK per specialty (Charting Outcomes 2026; DO seniors use the "
        "MD figures, none published for DO), level fitted the same way.",
    ]
