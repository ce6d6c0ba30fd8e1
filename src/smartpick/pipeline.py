"""The planning pipeline for one profile: parts → screen → estimate → optimise → portfolio.

Pure apart from the injected frame loader (the service passes one backed by the catalog), so
what-if runs of the strategy plan reuse exactly the same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartpick.advice.timeline import list_match_year
from smartpick.errors import InputError
from smartpick.frame import FloatArray, ProgramFrame
from smartpick.model.interview import InterviewEstimate, interview_probabilities
from smartpick.model.outcome import match_given_interviews, match_given_interviews_draws
from smartpick.model.params import ModelParams, load_params
from smartpick.model.signal_effect import signal_effects
from smartpick.plan import (
    CATEGORICAL_TRACKS,
    PRELIMINARY_TRACKS,
    ListPlan,
    PartInput,
    Portfolio,
    ScreenResult,
    plan_portfolio,
    preference_weights,
    screen,
)
from smartpick.plan.signal_counts import signal_counts
from smartpick.plan.signal_plan import SignalPlan, plan_signals
from smartpick.plan.tiers import TierBands, relative_bands
from smartpick.profile import Profile
from smartpick.specialties import Specialty

__all__ = [
    "LIST_ONLY_FIELDS",
    "PORTFOLIO_FIELDS",
    "Part",
    "PartResult",
    "PlanCore",
    "Run",
    "evaluate_parts",
    "parts_for",
    "reusable",
    "run",
]

Role = Literal["primary", "backup", "preliminary"]
FrameLoader = Callable[[str, tuple[str, ...]], ProgramFrame]

#: Preliminary PGY-1 part: preliminary Internal Medicine and transitional-year programs.
PRELIMINARY_CODES: tuple[str, ...] = ("140", "999")
#: Tracks of a specialty part: categorical and primary-care PGY-1 positions, and advanced
#: (PGY-2) positions, which most of Dermatology's and Radiology's positions are (they need a
#: separate preliminary / transitional PGY-1 year). Physician (R) positions are for applicants
#: who already completed a PGY-1 and are left out.
SPECIALTY_TRACKS: tuple[str, ...] = (*CATEGORICAL_TRACKS, "A")
#: Specialties whose every position is a PGY-1-only year: the Transitional Year's programs are
#: all on the preliminary (P) track, so as a primary or backup specialty it is planned on that
#: track (its categorical tracks hold no program, and an empty frame cannot be estimated).
PGY1_ONLY_CODES: frozenset[str] = frozenset({"999"})
#: Profile fields that only the list reads (the preference weights, the target and the budget),
#: never the screens, the interview model or M(k): a run whose profile differs from another's
#: only in these reuses the other's screens and estimates (:func:`reusable`).
LIST_ONLY_FIELDS: frozenset[str] = frozenset(
    {"regions", "settings", "target_match_probability", "budget_usd"}
)
#: Profile fields that choose the portfolio's parts (which specialties, whether a preliminary
#: year) or whether it is signalled, never how a part is screened or estimated: a part is
#: screened and estimated from its own specialty codes and tracks (:class:`Part`) and the
#: applicant's fields. A run whose profile differs from another's only in these and
#: :data:`LIST_ONLY_FIELDS` reuses the other's results for every part the two share.
PORTFOLIO_FIELDS: frozenset[str] = frozenset(
    {"specialty", "backup_specialty", "include_preliminary", "signals"}
)


@dataclass(frozen=True)
class Part:
    """One part of the application portfolio."""

    role: Role
    specialty: str  # display name
    codes: tuple[str, ...]  # NRMP specialty codes whose programs are candidates
    tracks: tuple[str, ...]  # track letters
    track_label: str  # "categorical" | "preliminary"
    outcome_code: str  # specialty code whose M(k) curve applies


def _specialty_part(role: Role, spec: Specialty) -> Part:
    if spec.code in PGY1_ONLY_CODES:
        return Part(role, spec.name, (spec.code,), PRELIMINARY_TRACKS, "preliminary", spec.code)
    return Part(role, spec.name, (spec.code,), SPECIALTY_TRACKS, "categorical", spec.code)


def parts_for(profile: Profile) -> list[Part]:
    """The parts a profile asks for: primary, optional backup, optional preliminary year.

    A preliminary part leaves out a PGY-1-only specialty the profile already applies to as
    its primary or backup (the same programs are never planned twice).
    """
    out = [_specialty_part("primary", profile.specialty_info)]
    backup = profile.backup_info
    if backup is not None:
        out.append(_specialty_part("backup", backup))
    if profile.include_preliminary:
        taken = {c for part in out if part.tracks == PRELIMINARY_TRACKS for c in part.codes}
        codes = tuple(c for c in PRELIMINARY_CODES if c not in taken)
        if codes:
            name = "Preliminary IM / Transitional Year" if len(codes) > 1 else "Preliminary IM"
            out.append(Part("preliminary", name, codes, PRELIMINARY_TRACKS, "preliminary", "999"))
    return out


def _check_frame(part: Part, frame: ProgramFrame) -> None:
    """InputError naming the field when a specialty has no program to plan with."""
    if len(frame):
        return
    field_name = {"primary": "specialty", "backup": "backup_specialty"}.get(
        part.role, "include_preliminary"
    )
    raise InputError(
        f"the catalog has no {part.specialty} program on the tracks planned "
        f"({', '.join(part.tracks)})",
        field=field_name,
        allowed="a specialty with programs in the Main Residency Match (`smartpick programs`)",
    )


@dataclass
class PlanCore:
    """What every run shares: the frame loader, the date and the model parameters.

    A core serves one request (a plan and its what-ifs, a search, a status): the frames it
    loads are kept for its lifetime, so its runs read one snapshot of the catalog and ask the
    loader once per part (:meth:`frame`).
    """

    load: FrameLoader
    today: dt.date
    params: ModelParams = field(default_factory=load_params)
    #: the frames loaded so far, per (specialty codes, tracks): at most one per part its runs
    #: plan (a few specialties)
    _frames: dict[tuple[tuple[str, ...], tuple[str, ...]], ProgramFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def match_year(self) -> int:
        """The Main Match a list made today is for (:func:`list_match_year`): the plan's
        ``match_year``, its notes and the signal season all read it here."""
        return list_match_year(self.today)

    def frame(self, part: Part) -> ProgramFrame:
        """Every program of the part's specialty codes and tracks (loaded once per core)."""
        key = (part.codes, part.tracks)
        found = self._frames.get(key)
        if found is None:
            frames = tuple(self.load(code, part.tracks) for code in part.codes)
            found = frames[0] if len(frames) == 1 else _concat(frames)
            self._frames[key] = found
        return found


@lru_cache(maxsize=32)
def _concat(frames: tuple[ProgramFrame, ...]) -> ProgramFrame:
    """One frame of several (cached on the frames themselves, which the loader keeps: the
    profile-independent work keyed on a frame, such as its anchors, is then done once)."""
    return ProgramFrame.concat(list(frames))


@dataclass(frozen=True, eq=False)
class PartResult:
    """One part evaluated: the whole frame, its screen, estimate and (optionally) its list."""

    part: Part
    frame: ProgramFrame
    screen: ScreenResult
    estimate: InterviewEstimate
    candidates: npt.NDArray[np.intp]  # frame indices that pass the screens
    m: FloatArray
    m_draws: FloatArray
    weights: FloatArray  # preference weights of the candidates

    @cached_property
    def bands(self) -> TierBands:
        """The part's tier bands: relative to the applicant's typical chance among the
        candidates (:func:`smartpick.plan.tiers.relative_bands`): one definition for the plan,
        its notes and the program search (computed once: a result's estimate and candidates
        never change, and :func:`dataclasses.replace` makes a new result)."""
        return relative_bands(self.estimate.p[self.candidates])


@dataclass(frozen=True, eq=False)
class Run:
    """A full run: every part, each part's list, and the combined portfolio."""

    profile: Profile
    results: tuple[PartResult, ...]
    plans: dict[str, ListPlan]
    portfolio: Portfolio  # with the signals when the profile plans them (``signals``)
    signals: SignalPlan | None = None


def evaluate_parts(
    core: PlanCore,
    profile: Profile,
    parts: Sequence[Part],
    *,
    plan_lists: bool = True,
    draws: bool = True,
    reuse: Mapping[Part, PartResult] | None = None,
) -> list[PartResult]:
    """Screen and estimate every part (one vectorised pass per part; ``draws=False``: point
    estimates only). ``reuse`` gives parts already screened and estimated for a profile that
    differs from this one only in :data:`LIST_ONLY_FIELDS` and :data:`PORTFOLIO_FIELDS`
    (:func:`reusable`): only their preference weights are recomputed."""
    out: list[PartResult] = []
    for part in parts:
        done = reuse.get(part) if reuse else None
        if done is not None and (done.estimate.eta_draws.shape[0] or not draws):
            frame, scr, est, cand, m, md = (
                done.frame,
                done.screen,
                done.estimate,
                done.candidates,
                done.m,
                done.m_draws,
            )
        else:
            frame = core.frame(part)
            _check_frame(part, frame)
            scr = screen(profile, frame, today=core.today, tracks=part.tracks)
            est = interview_probabilities(
                profile, frame, core.params, today=core.today, draws=draws
            )
            cand = np.flatnonzero(scr.keep)
            m = match_given_interviews(
                part.outcome_code, core.params, applicant_type=profile.applicant_type
            )
            md = match_given_interviews_draws(
                part.outcome_code, core.params, applicant_type=profile.applicant_type
            )
        # weighed on the whole frame (its columns are cached per frame), then the candidates
        weights = preference_weights(profile, frame)[cand] if plan_lists else np.ones(len(cand))
        out.append(PartResult(part, frame, scr, est, cand, m, md, weights))
    return out


def reusable(base: Run | None, profile: Profile) -> dict[Part, PartResult]:
    """The parts of ``base`` a run of ``profile`` can reuse: all of them when the two profiles
    differ only in :data:`LIST_ONLY_FIELDS` and :data:`PORTFOLIO_FIELDS` (a run looks its own
    parts up, so a part the base does not have is evaluated afresh), none otherwise."""
    if base is None:
        return {}
    fields = set(LIST_ONLY_FIELDS | PORTFOLIO_FIELDS)
    if base.profile.model_dump(exclude=fields) != profile.model_dump(exclude=fields):
        return {}
    return {res.part: res for res in base.results}


def _indices(res: PartResult, codes: Sequence[str]) -> tuple[int, ...]:
    """Candidate positions of the given program codes (codes not among candidates ignored)."""
    if not codes:
        return ()
    wanted = set(codes)
    cand_codes = res.frame.program_code[res.candidates]
    return tuple(int(i) for i in np.flatnonzero([c in wanted for c in cand_codes]))


def _part_input(
    res: PartResult, include_codes: Sequence[str], exclude_codes: Sequence[str], draws: bool
) -> PartInput:
    """What the portfolio and the signals plan one part from (candidates only)."""
    c = res.candidates
    include = _indices(res, include_codes)
    exclude = tuple(i for i in _indices(res, exclude_codes) if i not in set(include))
    return PartInput(
        role=res.part.role,
        specialty=res.part.specialty,
        track=res.part.track_label,
        p=res.estimate.p[c],
        m=res.m,
        fee_codes=res.frame.specialty_code[c],
        weights=res.weights,
        include=include,
        exclude=exclude,
        m_draws=res.m_draws if draws else None,  # (p_draws: unused beside eta_draws)
        eta=res.estimate.eta[c],
        eta_draws=res.estimate.eta_draws[:, c] if draws else None,
        strength=res.estimate.strength,
        bands=res.bands,
    )


def _without_draws(part: PartInput) -> PartInput:
    """The part without its parameter draws: point forecasts only."""
    return replace(part, m_draws=None, eta_draws=None)


def run(
    core: PlanCore,
    profile: Profile,
    *,
    exclude_codes: Sequence[str] = (),
    include_codes: Sequence[str] = (),
    draws: bool = True,
    base: Run | None = None,
) -> Run:
    """Evaluate every part of the profile and plan the portfolio.

    ``draws=False`` skips the parameter draws (no ranges): the cheap mode for what-if runs.
    ``base``: a run whose screens and estimates are reused where they apply (:func:`reusable`).
    """
    results = evaluate_parts(
        core, profile, parts_for(profile), draws=draws, reuse=reusable(base, profile)
    )
    inputs = [_part_input(res, include_codes, exclude_codes, draws) for res in results]
    season = core.match_year
    counts = [
        signal_counts(res.part.codes[0], season) if profile.signals else None for res in results
    ]
    # a part that gets signals is forecast again with them (plan_signals): its lists never
    # depend on the parameter draws, only its forecast's range does, so it is sized without
    # them here (the point figures are the same: Ordering.forecast)
    resigned = {
        res.part.role
        for res, c in zip(results, counts, strict=True)
        if c is not None and res.part.role != "preliminary"
    }
    portfolio, plans = plan_portfolio(
        [_without_draws(q) if q.role in resigned else q for q in inputs],
        target=profile.target_match_probability,
        budget=profile.budget_usd,
    )
    if not profile.signals:
        return Run(profile, tuple(results), plans, portfolio)
    signals, portfolio, plans = plan_signals(
        inputs,
        plans,
        portfolio,
        counts,
        [signal_effects(res.frame).take(res.candidates) for res in results],
        [res.frame.program_code[res.candidates] for res in results],
    )
    return Run(profile, tuple(results), plans, portfolio, signals)
