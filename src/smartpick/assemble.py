"""Turn a planning :class:`~smartpick.pipeline.Run` into the JSON contract (PlanResult),
with the strategy plan measured by re-running the same pipeline on changed profiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from smartpick.advice import Outcome, build_advice, build_timeline, specialty_facts
from smartpick.assemble_notes import plan_notes, standing_out
from smartpick.assemble_programs import MODEL_SOURCE, chance_bands, part_programs
from smartpick.assemble_signals import program_signals, signal_fields, signal_shift
from smartpick.contract import (
    Advice,
    CurvePoint,
    PlanResult,
    PortfolioPart,
    ProgramOut,
    ScreenedOut,
    TierCounts,
    built,
)
from smartpick.model.params import MODEL_VERSION
from smartpick.pipeline import PlanCore, Run, run
from smartpick.plan import ListPlan, one_time_fees
from smartpick.plan.fees import fee_sources
from smartpick.plan.forecast import INTERVAL, interview_count_distribution, pmf_quantile
from smartpick.profile import Profile
from smartpick.thin import CurveDetail, kept_counts, kept_sizes

__all__ = ["assemble", "headline"]

#: The curve's columns, as :class:`CurvePoint` names them and :class:`ListPlan` holds them,
#: with the type of each field.
_CURVE_FIELDS = (
    ("applications", np.int64),
    ("match_probability", np.float64),
    ("cost_usd", np.float64),
    ("expected_interviews", np.float64),
    ("interviews_low", np.float64),
    ("interviews_high", np.float64),
)


def _curve(plan: ListPlan, keep: Sequence[int] | None = None) -> list[CurvePoint]:
    """Every point of a part's curve after the empty list, or with ``keep`` (the recommended
    counts) the points the thin curve's rule keeps (:func:`.thin.kept_sizes`): only those are
    built (each column read once)."""
    arrays = [np.asarray(getattr(plan, f)[1:], dtype=t) for f, t in _CURVE_FIELDS]
    if keep is not None:
        mask = kept_sizes(arrays[0], keep)
        arrays = [a[mask] for a in arrays]
    cols = (a.tolist() for a in arrays)
    return built(
        CurvePoint,
        [
            {
                "applications": n,
                "match_probability": m,
                "cost_usd": c,
                "expected_interviews": e,
                "interviews_low": lo,
                "interviews_high": hi,
            }
            for n, m, c, e, lo, hi in zip(*cols, strict=True)
        ],
    )


def _listed(r: Run) -> list[ProgramOut]:
    out: list[dict[str, Any]] = []
    for res in r.results:
        plan = r.plans[res.part.role]
        rows = res.candidates[plan.chosen]
        signals = program_signals(r, res.part.role, len(rows))
        bands = chance_bands(res, rows)
        part = part_programs(res, rows, plan.tiers, r.profile, bands, signals)
        out.extend(sorted(part, key=_display_key))
    return built(ProgramOut, out)


def _display_key(row: dict[str, Any]) -> tuple[float, str, str]:
    """The one order of the list everywhere (JSON, CLI, web, exports): part by part (the
    specialty you chose, the backup, the preliminary year), and within a part the highest
    interview chance first (with its signal), then name and code: no row is out of order."""
    return (-row["interview_probability"], row["name"], row["program_code"])


def _listed_codes(r: Run) -> dict[str, list[str]]:
    """Each part's listed program codes, in list order."""
    return {
        res.part.role: [
            str(c) for c in res.frame.program_code[res.candidates[r.plans[res.part.role].chosen]]
        ]
        for res in r.results
    }


def _screened(r: Run) -> list[ScreenedOut]:
    seen: set[str] = set()
    out: list[ScreenedOut] = []
    for res in r.results:
        f, s = res.frame, res.screen
        for fi in s.excluded:
            code = str(f.program_code[fi])
            if code in seen:
                continue
            seen.add(code)
            out.append(
                ScreenedOut(
                    program_code=code,
                    name=f"{f.name[fi]} ({f.institution[fi]})",
                    reason=str(s.reason[fi]),
                    strictness=s.strictness[fi] or "strict",
                )
            )
    return out


def _interview_range(r: Run) -> dict[str, float]:
    """10th-90th percentile of all interviews the portfolio brings (every part's list).

    The parts share the applicant's strength, so their interviews are counted on the same
    strength nodes (independent only given it).
    """
    etas = [
        res.estimate.eta[rows] + signal_shift(r, res.part.role, len(rows))
        for res in r.results
        for rows in [res.candidates[r.plans[res.part.role].chosen]]
    ]
    eta = np.concatenate(etas) if etas else np.zeros(0)
    strength = r.results[0].estimate.strength if r.results else None
    if strength is None or not len(eta):
        return {"interviews_low": 0.0, "interviews_high": 0.0}
    pmf = interview_count_distribution(
        strength.probabilities(eta), kmax=min(len(eta), 200), weights=strength.w
    )
    lo, hi = (float(pmf_quantile(pmf, q / 100.0)) for q in INTERVAL)
    return {"interviews_low": lo, "interviews_high": hi}


def headline(r: Run) -> Outcome:
    """P(categorical match), total ERAS fees and total list size of a run."""
    pf = r.portfolio
    return Outcome(
        match_probability=pf.match_probability_categorical,
        cost_usd=pf.cost_usd,
        recommended_count=sum(p.count for p in pf.parts),
    )


def _sized(r: Run, size: int) -> Outcome:
    """The run's outcome with ``size`` programs in all; the primary list takes the change."""
    primary: ListPlan = r.plans["primary"]
    others = sum(p.count for p in r.portfolio.parts[1:])
    n = int(min(max(size - others, 0), len(primary.order)))
    p1 = float(primary.match_probability[n])
    backups = [p for p in r.portfolio.parts if p.role == "backup"]
    miss = (1.0 - p1) * float(np.prod([1.0 - p.match_probability for p in backups]))
    cost = float(primary.cost_usd[n]) + sum(p.cost_usd for p in r.portfolio.parts[1:])
    return Outcome(1.0 - miss, cost, n + others)


def _advice(core: PlanCore, r: Run, adjusted: bool) -> list[Advice]:
    """The strategy plan; what-ifs re-run the pipeline without draws (point estimates).

    They reuse the base run: an unchanged profile (``more_programs``) reads the base run itself
    unless the user adjusted the list (the what-ifs ignore adjustments), and a profile changed
    only in list-only fields (``geography``) reuses its screens and estimates.
    """

    def evaluate(profile: Profile, size: int | None) -> Outcome:
        same = not adjusted and profile == r.profile
        other = r if same else run(core, profile, draws=False, base=r)
        return headline(other) if size is None else _sized(other, size)

    facts = specialty_facts(r.profile.specialty_info.code)
    return build_advice(
        r.profile, headline(r), evaluate, today=core.today, facts=facts, sites=_sites(r)
    )


def _sites(r: Run, n: int = 5, min_share: float = 0.5) -> list[str]:
    """Target / safety programs of the primary list (in list order, so the user's preferences
    come first) whose published IMG share is at least ``min_share``."""
    res = r.results[0]
    plan = r.plans[res.part.role]
    f, est = res.frame, res.estimate
    out: list[str] = []
    for rank, fi in enumerate(res.candidates[plan.chosen]):
        share = float(est.img_share[fi])
        if (
            plan.tiers[rank] in ("target", "safety")
            and est.img_share_source[fi] == "published"
            and share >= min_share
        ):
            place = ", ".join(str(x) for x in (f.city[fi], f.state[fi]) if x)
            out.append(
                f"{f.institution[fi]} ({place}): IMG share {100 * share:.0f}% "
                "(source: AMA FREIDA, 2025)"
            )
            if len(out) == n:
                break
    return out


def assemble(
    core: PlanCore,
    profile: Profile,
    *,
    exclude_codes: Sequence[str] = (),
    include_codes: Sequence[str] = (),
    with_advice: bool = True,
    curve: CurveDetail = "full",
) -> PlanResult:
    """Run the pipeline for a profile and build its PlanResult (``curve="thin"``: with the
    points of the curve that :func:`smartpick.thin.thin_result` would keep, and only those
    built)."""
    r = run(core, profile, exclude_codes=exclude_codes, include_codes=include_codes)
    programs = _listed(r)
    primary = r.plans["primary"]
    pf = r.portfolio
    tiers = {
        t: sum(p.tier_counts.get(t, 0) for p in r.plans.values())
        for t in ("reach", "target", "safety")
    }
    sources = sorted({s for p in programs for s in p.sources})
    sources += [*fee_sources(), MODEL_SOURCE]
    head = headline(r)
    keep = (
        kept_counts(head.recommended_count, (p.count for p in pf.parts))
        if curve == "thin"
        else None
    )
    return PlanResult(
        recommended_count=head.recommended_count,
        match_probability=head.match_probability,
        match_probability_low=pf.categorical_low,
        match_probability_high=pf.categorical_high,
        expected_interviews=float(sum(p.forecast.expected_interviews for p in r.plans.values())),
        **_interview_range(r),
        cost_usd=head.cost_usd,
        fees_once_usd={f.label: f.usd for f in one_time_fees(profile.applicant_type)},
        tier_counts=TierCounts(**tiers),
        curve=_curve(primary, keep),
        programs=programs,
        screened_out=_screened(r),
        **signal_fields(r, _listed_codes(r)),
        portfolio=[
            PortfolioPart(
                specialty=p.specialty,
                track=p.track,
                count=p.count,
                cost_usd=p.cost_usd,
                match_probability=p.match_probability,
            )
            for p in pf.parts
        ],
        standing=standing_out(profile),
        advice=_advice(core, r, bool(exclude_codes or include_codes)) if with_advice else [],
        timeline=build_timeline(core.today),
        notes=plan_notes(core, r, programs),
        match_year=core.match_year,
        visa_unknown_count=sum(p.visa_status == "unknown" for p in programs),
        sources=list(dict.fromkeys(sources)),
        model_version=MODEL_VERSION,
    )
