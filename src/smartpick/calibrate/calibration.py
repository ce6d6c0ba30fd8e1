"""Fit every model parameter to the published figures (pure: frames in, parameters out).

Stages (docs/model.md explains each):

1. IMG-share regression on IM programs with a published share (:mod:`.img_share`).
2. Program coefficients from IM programs' IMG interview rates (:mod:`.fit_program`).
3. Per cohort with a Charting Outcomes table: intercept ``alpha`` solved so the simulated
   non-US IMG match rate equals the published one; a common score slope and the spread of
   unobserved strength ``tau`` by least squares on the matched / not-matched Step 2 CK means and
   contiguous-rank means (:mod:`.simulate`); then one slope per cohort, partially pooled
   (random effects, :mod:`.slopes`), and the intercepts re-solved at those slopes.
4. Cohorts without a table: ``alpha`` from their 2025 non-US IMG matched / ranked rate, scaled
   by the pooled ratio of Charting Outcomes rates to 2025 track rates.
5. Applicant-type offsets (US IMG, US MD, US DO vs non-US IMG) from the 2025 per-track rates.
6. Parameter draws (Laplace approximation / binomial standard errors / priors' sds).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize

from smartpick.frame import FloatArray, ProgramFrame
from smartpick.model.img_share import cohorts, fit_share, share_logit
from smartpick.model.params import ModelParams
from smartpick.model.priors import build_priors, reference_applicant
from smartpick.model.targets import all_pgy1, specialty_img_share

from .fit_program import apdim_map, fit_program_terms
from .population import CohortData, Population, build_population
from .report import CalibrationReport, Target, checks
from .report_text import render_report
from .simulate import simulate
from .slopes import SlopeFit, fit_slopes

__all__ = ["CalibrationReport", "Fitted", "fit", "render_report"]

SCORE_UNIT = 10.0
N_DRAWS = 40
TOL_STEP2 = 3.0  # points: tolerance of simulated vs published Step 2 CK means
TOL_RANKS = 1.5  # programs: tolerance of simulated vs published mean contiguous ranks
#: A cohort gets its own applicant-type offset when at least this many of the type ranked it
#: in 2025; others use the pooled offset.
MIN_TYPE_RANKED = 30


@dataclass
class Fitted:
    """Intermediate results shared by the stages and the report."""

    alpha: dict[str, float] = field(default_factory=dict)
    alpha_se: dict[str, float] = field(default_factory=dict)
    beta: float = 0.0  # pooled (random-effects) slope, used where a cohort has none
    beta_common: float = 0.0  # one slope for all cohorts (stage 3 least squares)
    slope: dict[str, float] = field(default_factory=dict)  # cohort -> slope used
    slopes: SlopeFit | None = None
    tau: float = 0.0
    cov_bt: FloatArray = field(default_factory=lambda: np.eye(2) * 0.01)
    delta: dict[str, float] = field(default_factory=dict)
    delta_se: dict[str, float] = field(default_factory=dict)
    delta_cohort: dict[str, dict[str, float]] = field(default_factory=dict)

    def b(self, key: str) -> float:
        """The Step 2 CK slope of a cohort (the pooled one if it has none)."""
        return self.slope.get(key, self.beta)


def _solve_alpha(f: Callable[[float], float], target: float) -> float:
    """alpha with f(alpha) = target; the nearer bound when the target is out of reach (the
    rate cannot fall below M(1) or rise above M(kmax)); the report then shows the gap."""
    lo, hi = -14.0, 7.0
    f_lo, f_hi = f(lo) - target, f(hi) - target
    if f_lo >= 0:
        return lo
    if f_hi <= 0:
        return hi
    return float(optimize.brentq(lambda a: f(a) - target, lo, hi, xtol=1e-6))


def _rate_of_alpha(c: CohortData, beta: float, tau: float) -> Callable[[float], float]:
    """Simulated non-US IMG match rate of cohort c as a function of its intercept."""

    def rate(alpha: float) -> float:
        return simulate(c.cohort, c.table_visa, alpha, beta, tau, unit=SCORE_UNIT).rate

    return rate


def _rate_of_offset(c: CohortData, t: str, fitted: Fitted) -> Callable[[float], float]:
    """Simulated match rate of applicant type t in cohort c as a function of its offset."""

    def rate(offset: float) -> float:
        return simulate(
            c.cohort,
            c.table_novisa,
            fitted.alpha[c.key],
            fitted.b(c.key),
            fitted.tau,
            unit=SCORE_UNIT,
            shift=c.type_shift[t],
            offset=offset,
        ).rate

    return rate


def _fit_core(pop: Population, fitted: Fitted, progress: Callable[[str], None]) -> None:
    """Stage 3: alpha per cohort (exact rate), beta and tau (least squares)."""
    co = [c for c in pop.cohorts.values() if c.published is not None]

    def alphas(beta: float, tau: float) -> dict[str, float]:
        out = {}
        for c in co:
            assert c.published is not None
            out[c.key] = _solve_alpha(_rate_of_alpha(c, beta, tau), c.published.rate)
        return out

    def resid(theta: FloatArray) -> FloatArray:
        beta, tau = float(theta[0]), float(abs(theta[1]))
        al = alphas(beta, tau)
        r: list[float] = []
        for c in co:
            assert c.published is not None
            s = simulate(c.cohort, c.table_visa, al[c.key], beta, tau, unit=SCORE_UNIT)
            wt = np.sqrt(c.published.n / 100.0)
            r += [
                wt * (s.step2_matched - c.published.step2_matched) / TOL_STEP2,
                wt * (s.step2_unmatched - c.published.step2_unmatched) / TOL_STEP2,
                wt * (s.ranks_matched_mean - c.published.ranks_matched_mean) / TOL_RANKS,
                wt * (s.ranks_unmatched_mean - c.published.ranks_unmatched_mean) / TOL_RANKS,
            ]
        progress("fit: score slope and spread")
        return np.array(r)

    sol = optimize.least_squares(resid, x0=np.array([0.5, 1.0]), diff_step=1e-3, max_nfev=60)
    fitted.beta_common, fitted.tau = float(sol.x[0]), float(abs(sol.x[1]))
    jtj = sol.jac.T @ sol.jac
    dof = max(len(sol.fun) - 2, 1)
    s2 = float(np.sum(sol.fun**2) / dof)
    fitted.cov_bt = np.linalg.pinv(jtj) * max(s2, 1.0)
    progress("fit: score slope per cohort (partial pooling)")

    def solve(c: CohortData, beta: float) -> float:
        assert c.published is not None
        return _solve_alpha(_rate_of_alpha(c, beta, fitted.tau), c.published.rate)

    sf = fit_slopes({c.key: c for c in co}, fitted.tau, SCORE_UNIT, solve)
    fitted.slopes = sf
    fitted.beta = sf.pooled
    fitted.slope = {k: v.value for k, v in sf.cohorts.items()}
    for c in co:
        assert c.published is not None
        a = solve(c, fitted.b(c.key))
        fitted.alpha[c.key] = a
        h = 1e-3
        bc = fitted.b(c.key)
        r1 = simulate(c.cohort, c.table_visa, a + h, bc, fitted.tau, unit=SCORE_UNIT)
        r0 = simulate(c.cohort, c.table_visa, a - h, bc, fitted.tau, unit=SCORE_UNIT)
        slope = (r1.rate - r0.rate) / (2 * h)
        rate = c.published.rate
        se_rate = np.sqrt(rate * (1 - rate) / max(c.published.n_all, 1))
        fitted.alpha_se[c.key] = float(se_rate / max(slope, 1e-6))


def _fit_other_alphas(pop: Population, fitted: Fitted) -> None:
    """Stage 4: cohorts with only a 2025 track rate."""
    for c in pop.cohorts.values():
        if c.published is not None or c.rate_target is None:
            continue
        fitted.alpha[c.key] = _solve_alpha(
            _rate_of_alpha(c, fitted.b(c.key), fitted.tau), c.rate_target
        )
        n = max(c.ranked.get("non_us_img", 0), 1)
        fitted.alpha_se[c.key] = float(
            np.sqrt(1.0 / (n * c.rate_target * (1 - c.rate_target) + 1e-9))
        )


def _fit_types(pop: Population, fitted: Fitted) -> None:
    """Stage 5: one log-odds offset per applicant type, pooled over cohorts."""
    fitted.delta["non_us_img"] = 0.0
    fitted.delta_se["non_us_img"] = 0.0
    for t in ("us_img", "us_md", "us_do"):
        items = [c for c in pop.cohorts.values() if t in c.type_targets and c.key in fitted.alpha]

        def resid(d: FloatArray, t: str = t, items: list[Any] = items) -> FloatArray:
            out = []
            for c in items:
                target, n = c.type_targets[t]
                rate = _rate_of_offset(c, t, fitted)(float(d[0]))
                out.append(np.sqrt(n) * (rate - target))
            return np.array(out)

        sol = optimize.least_squares(resid, x0=np.array([0.5]), diff_step=1e-3)
        fitted.delta[t] = float(sol.x[0])
        jtj = float((sol.jac.T @ sol.jac)[0, 0])
        s2 = float(np.sum(sol.fun**2) / max(len(sol.fun) - 1, 1))
        fitted.delta_se[t] = float(np.sqrt(max(s2, 1.0) / max(jtj, 1e-9)))
        own: dict[str, float] = {}
        for c in items:
            target, n = c.type_targets[t]
            if n < MIN_TYPE_RANKED:
                continue
            own[c.key] = _solve_alpha(_rate_of_offset(c, t, fitted), target)
        fitted.delta_cohort[t] = own


def fit(
    frames: Mapping[str, ProgramFrame],
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> tuple[ModelParams, CalibrationReport]:
    """Fit all parameters to the published figures; frames hold the programs of each specialty."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    frame = ProgramFrame.concat(list(frames.values()))
    keys = cohorts(frame)
    im = frame.take(np.flatnonzero(keys == "140C"))
    say("fit: IMG-share regression")
    share = fit_share(im, seed=seed)
    spec_share = {k: specialty_img_share(k) for k in sorted(set(keys.tolist()))}
    spec_share = {k: v for k, v in spec_share.items() if np.isfinite(v)}
    spec_share["all"] = all_pgy1().img_share
    say("fit: program terms")
    mapping = apdim_map()
    prog = fit_program_terms(im, mapping)
    mu_l, _sd, _src = share_logit(frame, share.coef, share.sd_cv, share.sd_within, spec_share)
    priors = build_priors()
    pop = build_population(frame, keys, mu_l, prog, priors, say)
    fitted = Fitted()
    _fit_core(pop, fitted, say)
    _fit_other_alphas(pop, fitted)
    say("fit: applicant types")
    _fit_types(pop, fitted)
    params = _assemble(pop, fitted, share, spec_share, prog, priors, seed)
    say("report")
    report = checks(
        params, pop, fitted, share, prog, mapping, time.perf_counter() - t0, frame, keys
    )
    return params, report


def _assemble(
    pop: Population,
    fitted: Fitted,
    share: Any,
    spec_share: dict[str, float],
    prog: Any,
    priors: dict[str, Any],
    seed: int,
) -> ModelParams:
    """Collect the fitted values and draw parameter uncertainty (seeded)."""
    rng = np.random.default_rng(seed)
    d = N_DRAWS
    alpha = dict(sorted(fitted.alpha.items()))
    weights = np.array([pop.cohorts[k].weight for k in alpha])
    a_vals = np.array(list(alpha.values()))
    pooled = float(np.average(a_vals, weights=weights))
    bt = rng.multivariate_normal([fitted.beta_common, fitted.tau], fitted.cov_bt, size=d)
    assert fitted.slopes is not None
    sf = fitted.slopes
    slope = {k: fitted.b(k) for k in alpha}
    slope_sd = np.array([sf.cohorts[k].sd if k in sf.cohorts else sf.predictive_sd for k in slope])
    a_se = np.array([fitted.alpha_se[k] for k in alpha])
    types = dict(fitted.delta)
    t_se = np.array([fitted.delta_se[t] for t in types])
    coef = np.array(list(prog.coef.values()))
    pr_vals = np.array([p.value for p in priors.values()])
    pr_sd = np.array([p.sd for p in priors.values()])
    a_draws = a_vals[None, :] + a_se[None, :] * rng.standard_normal((d, len(alpha)))
    draws = {
        "alpha_": a_draws,
        "alpha_pooled_": a_draws @ (weights / weights.sum()),
        # slopes: the shrunk value +- its posterior sd (pooled: predictive sd), never negative
        "beta_score_": np.maximum(sf.pooled + sf.predictive_sd * rng.standard_normal(d), 0.0),
        "beta_score_cohort_": np.maximum(
            np.array(list(slope.values()))[None, :]
            + slope_sd[None, :] * rng.standard_normal((d, len(slope))),
            0.0,
        ),
        "tau_": np.abs(bt[:, 1]),
        "type_offset_": np.array(list(types.values()))[None, :]
        + t_se[None, :] * rng.standard_normal((d, len(types))),
        "program_coef_": rng.multivariate_normal(coef, prog.cov, size=d),
        "priors": pr_vals[None, :] + pr_sd[None, :] * rng.standard_normal((d, len(priors))),
    }
    return ModelParams(
        version="2026.1",
        seed=seed,
        n_draws=d,
        score_unit=SCORE_UNIT,
        share_coef_=share.coef,
        share_sd_=share.sd_cv,
        share_sd_within_=share.sd_within,
        specialty_share=spec_share,
        program_coef_=prog.coef,
        alpha_=alpha,
        alpha_pooled_=pooled,
        score_center={k: c.cohort.center for k, c in pop.cohorts.items()},
        score_center_pooled=pop.pooled_center,
        score_matched={k: c.score_matched for k, c in pop.cohorts.items()},
        beta_score_=fitted.beta,
        beta_score_cohort_=slope,
        tau_=fitted.tau,
        type_offset_=types,
        type_offset_cohort_=fitted.delta_cohort,
        type_score_shift=pop.type_shift_rule,
        priors=priors,
        reference=reference_applicant(),
        applications={k: c.cohort.applications for k, c in pop.cohorts.items()},
        ranks=pop.ranks,
        ranks_pooled=pop.ranks_pooled,
        draws=draws,
    )


__all__ += ["Target"]
