"""A saved plan's season: its events → the updated odds, per-program chances and warnings.

The saved profile is run through the same pipeline (:func:`smartpick.pipeline.run`) on the
status date, so each listed program gets the log-odds, M(k) and strength the forecast uses;
the saved list (plus programs the user added) is then updated by :mod:`.posterior`. Listed
programs with no event are taken as applied (the saved list is the list applied to); mark one
withdrawn if you did not apply. The "add programs" estimate takes the next programs in the
planner's own order that are not yet listed, each keeping the share of its invitations still
to come (:mod:`.timing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smartpick.advice.timeline import current_match_year, cycle_dates
from smartpick.frame import FloatArray
from smartpick.model.signal_effect import KINDS, signal_effects
from smartpick.pipeline import PartResult, PlanCore, Run, evaluate_parts, parts_for, run
from smartpick.plan.signal_plan import draw_shift
from smartpick.plan.signals import Allocation
from smartpick.profile import Profile, parse_profile

from .events import program_states
from .models import AddProgramsOut, EventOut, ProgramTrackOut, TrackStatus
from .posterior import INVITED, OUT, PENDING, Evidence, PartEvidence, update
from .records import PlanEvent
from .timing import TimingRule, timing_rule

__all__ = ["ADD_PROGRAMS", "allowed_codes", "event_out", "match_year_of", "track_status"]

#: How many more programs the warning measures.
ADD_PROGRAMS = 20
#: Below this P(match), the warning says to prepare for SOAP.
SOAP_BELOW = 0.5


def match_year_of(created: str, payload: dict[str, Any]) -> int:
    """The Match a saved plan is for: its ``match_year``, else the cycle it was saved in."""
    year = payload.get("result", {}).get("match_year")
    if isinstance(year, int):
        return year
    return current_match_year(dt.date.fromisoformat(created[:10]))


def _listed(payload: dict[str, Any]) -> list[dict[str, Any]]:
    programs: list[dict[str, Any]] = payload.get("result", {}).get("programs", [])
    return programs


def _profile(payload: dict[str, Any]) -> Profile:
    return parse_profile(payload["profile"])


def allowed_codes(core: PlanCore, payload: dict[str, Any]) -> set[str]:
    """Codes an event may name: the saved list and the plan's other candidate programs."""
    codes = {str(p["program_code"]) for p in _listed(payload)}
    profile = _profile(payload)
    for res in evaluate_parts(core, profile, parts_for(profile), plan_lists=False, draws=False):
        codes.update(str(c) for c in res.frame.program_code[res.candidates])
    return codes


@dataclass
class _Part:
    """One part's tracked programs: candidate indices, codes and evidence arrays."""

    res: PartResult
    idx: list[int]  # candidate positions
    codes: list[str]
    state: list[int]
    invited: list[bool]
    rejected: list[bool]
    silent: list[float]
    late: list[float]
    kind: list[int] = field(default_factory=list)  # the saved plan's signal (KINDS; -1: none)

    def _signals(self) -> tuple[FloatArray, FloatArray | None]:
        """The log-odds shift of the signals sent (point, and per parameter draw) as planned."""
        est, c = self.res.estimate, self.res.candidates[self.idx]
        kind = np.asarray(self.kind, dtype=np.int64)
        if not np.any(kind >= 0):
            return np.zeros(len(c)), None
        eff = signal_effects(self.res.frame).take(c)
        delta = np.where(kind >= 0, eff.log_odds[np.arange(len(kind)), np.maximum(kind, 0)], 0.0)
        alloc = Allocation(kind, delta)
        d = len(est.eta_draws)
        return delta, draw_shift(alloc, eff, d) if est.eta_draws.size else None

    def evidence(self) -> PartEvidence:
        est, c = self.res.estimate, self.res.candidates[self.idx]
        shift, shift_draws = self._signals()
        ev = Evidence(
            np.asarray(self.state, dtype=np.int8),
            np.asarray(self.invited, dtype=bool),
            np.asarray(self.rejected, dtype=bool),
            np.asarray(self.silent, dtype=np.float64),
            np.asarray(self.late, dtype=np.float64),
        )
        draws = est.eta_draws[:, c] if est.eta_draws.size else None
        if draws is not None and shift_draws is not None:
            draws = draws + shift_draws
        return PartEvidence(
            est.eta[c] + shift,
            self.res.m,
            ev,
            categorical=self.res.part.role != "preliminary",
            eta_draws=draws,
            m_draws=self.res.m_draws,
        )


def _parts(
    r: Run,
    codes: Sequence[str],
    events: Sequence[PlanEvent],
    rule: TimingRule,
    today: dt.date,
    signals: dict[str, str],
) -> tuple[list[_Part], set[str]]:
    """Each part's tracked programs (saved list first, then added ones); codes not found.
    ``signals``: the saved plan's signal kind by program code."""
    states = program_states(events)
    where: dict[str, tuple[int, int]] = {}
    for k, res in enumerate(r.results):
        for i, c in enumerate(res.frame.program_code[res.candidates]):
            where.setdefault(str(c), (k, i))
    parts = [_Part(res, [], [], [], [], [], [], []) for res in r.results]
    missing: set[str] = set()
    for code in dict.fromkeys([*codes, *states]):
        if code not in where:
            missing.add(code)
            continue
        k, i = where[code]
        st = states.get(code)
        part = parts[k]
        part.idx.append(i)
        part.codes.append(code)
        status = st.status if st else "applied"
        ever = bool(st and st.invited)
        state = OUT if status in ("rejected", "withdrawn") else (INVITED if ever else PENDING)
        part.state.append(state)
        part.invited.append(ever)
        part.rejected.append(status == "rejected" and not ever)
        quiet = state == PENDING and not ever
        part.silent.append(rule.share_out(today, st.applied if st else None) if quiet else 0.0)
        part.late.append(0.0)
        kind = signals.get(code)
        part.kind.append(KINDS.index(kind) if kind in KINDS else -1)
    return parts, missing


def _added(r: Run, parts: list[_Part], rule: TimingRule, today: dt.date) -> list[str]:
    """Append the next-best unlisted programs of the primary part (their late share set)."""
    primary = next((k for k, res in enumerate(r.results) if res.part.role == "primary"), 0)
    part = parts[primary]
    taken = set(part.idx)
    plan = r.plans.get("primary")
    order = plan.order.tolist() if plan is not None else []
    extra = [i for i in order if i not in taken][:ADD_PROGRAMS]
    gone = rule.share_out(today)
    codes = part.res.frame.program_code[part.res.candidates]
    for i in extra:
        part.idx.append(int(i))
        part.codes.append(str(codes[i]))
        part.state.append(PENDING)
        part.invited.append(False)
        part.rejected.append(False)
        part.silent.append(0.0)
        part.late.append(gone)
        part.kind.append(-1)
    return [str(codes[i]) for i in extra]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def track_status(
    core: PlanCore,
    plan_id: str,
    created: str,
    payload: dict[str, Any],
    events: Sequence[PlanEvent],
) -> TrackStatus:
    """The season of a saved plan on ``core.today`` (see the module docstring)."""
    today = core.today
    year = match_year_of(created, payload)
    rule = timing_rule(year)
    listed = _listed(payload)
    saved = {str(p["program_code"]): p for p in listed}
    r = run(
        core,
        _profile(payload),
        exclude_codes=tuple(payload.get("exclude", [])),
        include_codes=tuple(payload.get("include", [])),
    )
    signals = payload.get("result", {}).get("signals") or []
    sent = {str(s["program_code"]): str(s["kind"]) for s in signals}
    parts, missing = _parts(r, list(saved), events, rule, today, sent)
    strength = r.results[0].estimate.strength
    now = update([p.evidence() for p in parts], strength)
    prior = update([_no_news(p).evidence() for p in parts], strength)
    kept = [k for k, p in enumerate(parts) if p.idx]  # update() leaves out empty parts
    extra = _added(r, parts, rule, today)
    more = update([p.evidence() for p in parts], strength) if extra else None
    states = program_states(events)
    programs: list[ProgramTrackOut] = []
    expected_by_now = 0.0
    for k, part in ((k, parts[i]) for k, i in enumerate(kept)):
        n = len(part.codes) - (len(extra) if extra and part.res.part.role == "primary" else 0)
        for j in range(n):
            code = part.codes[j]
            p_saved = saved.get(code, {}).get("interview_probability")
            st = states.get(code)
            expected_by_now += float(prior.chances[k][j]) * rule.share_out(
                today, st.applied if st else None
            )
            programs.append(_program_out(part, j, code, saved, st, now, k, p_saved))
    for code in sorted(missing & set(saved)):
        programs.append(_missing_out(saved[code], states.get(code)))
    add = None
    if more is not None:
        add = AddProgramsOut(
            count=len(extra),
            program_codes=extra,
            match_probability=more.match_probability,
            assumption=(
                "Our estimate: the next programs in the planner's order, each applied to today "
                f"and competing only for the invitations still to come "
                f"({_pct(1 - rule.share_out(today))} of a season's, by the timing rule)."
            ),
        )
    result = payload.get("result", {})
    out = TrackStatus(
        plan_id=plan_id,
        as_of=today.isoformat(),
        match_year=year,
        match_probability=now.match_probability,
        match_probability_low=now.low,
        match_probability_high=now.high,
        match_probability_any=now.match_probability_any,
        match_probability_saved=float(result.get("match_probability", prior.match_probability)),
        expected_interviews=now.expected_interviews,
        interviews_low=now.interviews_low,
        interviews_high=now.interviews_high,
        received_interviews=now.received,
        invitations_expected_by_now=expected_by_now,
        rejections=sum(1 for s in states.values() if s.status == "rejected"),
        programs=programs,
        events=[event_out(e) for e in events],
        add_programs=add,
        warnings=[],
        timing=rule.text(),
        assumptions=_assumptions(missing),
    )
    return out.model_copy(update={"warnings": _warnings(out, rule, today, year)})


def _no_news(part: _Part) -> _Part:
    n = len(part.codes)
    return _Part(
        part.res,
        part.idx,
        part.codes,
        [PENDING] * n,
        [False] * n,
        [False] * n,
        [0.0] * n,
        [0.0] * n,
        part.kind,
    )


def event_out(e: PlanEvent) -> EventOut:
    return EventOut(
        id=e.id,
        position=e.position,
        program_code=e.program_code,
        status=e.status,
        date=e.date,
        note=e.note,
        recorded_at=e.recorded_at,
    )


def _program_out(
    part: _Part,
    j: int,
    code: str,
    saved: dict[str, dict[str, Any]],
    st: Any,
    now: Any,
    k: int,
    p_saved: Any,
) -> ProgramTrackOut:
    frame, i = part.res.frame, int(part.res.candidates[part.idx[j]])
    row = saved.get(code, {})
    return ProgramTrackOut(
        program_code=code,
        name=str(row.get("name") or frame.name[i]),
        specialty=str(row.get("specialty") or part.res.part.specialty),
        track=str(row.get("track") or part.res.part.track_label),
        tier=row.get("tier"),
        added=code not in saved,
        status=st.status if st else None,
        status_date=st.date.isoformat() if st else None,
        interview_probability_saved=float(p_saved) if p_saved is not None else None,
        interview_probability=float(now.chances[k][j]),
        interview_probability_low=float(now.chances_low[k][j]),
        interview_probability_high=float(now.chances_high[k][j]),
    )


def _missing_out(row: dict[str, Any], st: Any) -> ProgramTrackOut:
    p = float(row.get("interview_probability") or 0.0)
    return ProgramTrackOut(
        program_code=str(row["program_code"]),
        name=str(row.get("name") or ""),
        specialty=str(row.get("specialty") or ""),
        track=str(row.get("track") or ""),
        tier=row.get("tier"),
        added=False,
        status=st.status if st else None,
        status_date=st.date.isoformat() if st else None,
        interview_probability_saved=p,
        interview_probability=p,
        interview_probability_low=p,
        interview_probability_high=p,
        in_model=False,
    )


def _assumptions(missing: set[str]) -> list[str]:
    out = [
        "Programs on the saved list with no status recorded are taken as applied (mark a "
        "program withdrawn if you did not apply); their silence counts only after programs may "
        "review applications, by the timing rule.",
        "Invitations (also to interviews you later withdrew from) raise the estimate of how "
        "programs see your application; rejections before an interview lower it; a program "
        "that invited you counts as an interview unless you withdrew or it rejected you.",
    ]
    if missing:
        out.append(
            f"{len(missing)} program(s) are no longer candidates in the current catalog or "
            "screens; they are shown with their saved chance and left out of the update."
        )
    return out


def _warnings(s: TrackStatus, rule: TimingRule, today: dt.date, year: int) -> list[str]:
    out: list[str] = []
    opens = cycle_dates(year)["eras_opens"].date
    if today < opens:
        out.append(
            f"This plan is for the {year} Match, whose season has not started: it opens on "
            f"{opens:%-d %B %Y} (when ERAS opens); record events from then."
        )
    if today < rule.review_start:
        out.append(
            f"Programs may review applications from {rule.review_start.isoformat()}: until "
            "then no news is no information; record invitations as they come."
        )
        return out
    day = f"{today:%-d %B %Y}"
    rng = f"range {_pct(s.match_probability_low)}–{_pct(s.match_probability_high)}"
    out.append(
        f"By {day} you have {s.received_interviews} invitation(s) (the saved plan expected "
        f"about {s.invitations_expected_by_now:.1f} by now); your odds are now "
        f"{_pct(s.match_probability)} ({rng}), from {_pct(s.match_probability_saved)} when "
        "you saved the plan."
    )
    add = s.add_programs
    if add is not None and s.match_probability < s.match_probability_saved - 0.005:
        out.append(
            f"Adding {add.count} programs now would raise them to {_pct(add.match_probability)} "
            f"(our estimate: {add.assumption.removeprefix('Our estimate: ')})"
        )
    if s.match_probability < SOAP_BELOW:
        week = cycle_dates(year)["match_week"].date
        out.append(
            f"Prepare for SOAP (we say so below {SOAP_BELOW:.0%}, our rule): if you do not match, "
            f"SOAP runs in Match Week ({week:%-d %B %Y}); have your documents ready and a list "
            "of unfilled programs in your specialties."
        )
    return out
