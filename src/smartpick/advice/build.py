"""The strategy plan: where the applicant stands, the guide's actions made personal and ranked
by their measured effect, and the dated timeline (see ``docs/advice.md``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from smartpick.advice import actions, backups, levers
from smartpick.advice.context import Context, Draft
from smartpick.advice.facts import SpecialtyFacts
from smartpick.advice.standing import Standing, standing
from smartpick.advice.timeline import build_timeline
from smartpick.advice.whatif import MAX_CALLS, Evaluate, Outcome, Runner
from smartpick.contract import Advice, AdviceEffect
from smartpick.profile import Profile

__all__ = ["MIN_GAIN", "build_advice", "build_timeline", "rank", "standing"]

#: A measured action counts as helping when it adds at least this much P(match) (our threshold).
MIN_GAIN = 0.005

#: Unmeasured actions in the order the guide stresses them (after the measured helpful ones).
GUIDE_ORDER: tuple[str, ...] = (
    "apply_day_one",
    "us_citizen",
    "score_paragraph",
    "interview_prep",
    "outreach",
    "networking",
    "cv_reliability",
)


def _group(d: Draft) -> tuple[int, float, int]:
    """Sort key: helpful measured actions by gain, then unmeasured ones, then the rest."""
    if d.measured is not None and d.measured.gain >= MIN_GAIN:
        return (0, -d.measured.gain, 0)
    if d.measured is None:
        order = GUIDE_ORDER.index(d.id) if d.id in GUIDE_ORDER else len(GUIDE_ORDER)
        return (1, 0.0, order)
    return (2, -d.measured.gain, 0)


def rank(drafts: list[Draft]) -> list[Advice]:
    """Advice with priorities 1..n: biggest measured effect first (stable for ties)."""
    ordered = sorted(drafts, key=_group)
    out = []
    for i, d in enumerate(ordered, start=1):
        effect = None
        if d.measured is not None:
            effect = AdviceEffect(
                match_probability_before=d.measured.before.match_probability,
                match_probability_after=d.measured.after.match_probability,
                cost_usd=d.measured.after.cost_usd,
            )
        out.append(
            Advice(
                id=d.id, title=d.title, why=d.why, steps=list(d.steps), effect=effect, priority=i
            )
        )
    return out


def build_advice(
    profile: Profile,
    base: Outcome,
    evaluate: Evaluate,
    *,
    today: dt.date,
    facts: SpecialtyFacts,
    sites: Sequence[str] = (),
) -> list[Advice]:
    """Personal, prioritised advice; at most :data:`MAX_CALLS` calls to ``evaluate``.

    ``base`` is the planner's outcome for the profile as given; ``evaluate(profile, size)`` runs
    the planner for a changed profile (size forced, or None to let the planner choose).
    ``sites``: IMG-friendly programs of the user's own list (with their facts' sources), named
    in the rotation and outreach steps.
    """
    where: Standing = standing(profile, facts)
    runner = Runner(evaluate, base, MAX_CALLS)
    ctx = Context(profile, where, facts, base, runner, today, tuple(sites))
    # measured rules first, most decisive first, so that a spent budget drops the least useful
    found = backups.alternatives(ctx)
    drafts: list[Draft | None] = [
        backups.img_friendly_specialties(ctx, found),
        backups.backup_specialty(ctx, found),
        backups.preliminary_year(ctx),
        levers.usce(ctx),
        levers.letters(ctx),
        levers.step2_timing(ctx),
        levers.geography(ctx),
        levers.visa_j1(ctx),
        levers.more_programs(ctx),
        actions.apply_day_one(ctx),
        actions.us_citizen(ctx),
        actions.score_paragraph(ctx),
        actions.interview_prep(ctx),
        actions.outreach(ctx),
        actions.networking(ctx),
        actions.cv_reliability(ctx),
    ]
    return rank([d for d in drafts if d is not None])
