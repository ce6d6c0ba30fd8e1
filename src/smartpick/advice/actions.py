"""The guide's actions that the model cannot measure, made personal: apply on the first day,
the US-citizen advantage, the score paragraph, a reliable CV, outreach, networking, interviews.

Each rule takes a :class:`Context` and returns a :class:`Draft`, or None when it does not
apply to this applicant.
"""

from __future__ import annotations

from smartpick.advice.cite import GUIDE, day, fact_source, plural, source
from smartpick.advice.context import Context, Draft
from smartpick.advice.texts import (
    INTERVIEW_QUESTIONS,
    coordinator_email,
    interview_score_outline,
    ps_paragraph_outline,
)
from smartpick.datafiles import fact

__all__ = [
    "apply_day_one",
    "cv_reliability",
    "interview_prep",
    "networking",
    "outreach",
    "score_paragraph",
    "us_citizen",
]


def apply_day_one(ctx: Context) -> Draft:
    """Submit on the first day ERAS allows, with every document ready."""
    sub = ctx.submission()
    opens = ctx.cycle_event("eras_opens", sub.match_year)
    reg = ctx.cycle_event("nrmp_registration_opens", sub.match_year)
    steps = [
        f"Submit on {day(sub.date)}, the first day applicants may submit for the "
        f"{sub.match_year} Match {sub.citation}.",
        f"Start MyERAS when the season opens ({day(opens.date)}) {opens.citation}; get the "
        "ECFMG token and send the USMLE transcript early.",
        "Have the personal statement, CV, photo, MSPE and every letter uploaded and assigned "
        "before that day; avoid adding a key document late.",
        f"Register for the Match when NRMP registration opens ({day(reg.date)}) {reg.citation}.",
    ]
    geo = fact("eras_geographic_divisions_max")
    regions = ", ".join(ctx.profile.regions)
    steps.append(
        f"Use the ERAS geographic preference (up to {geo.value:g} of the nine census "
        f"divisions) {fact_source(geo)}"
        + (f", matching your regions ({regions})." if regions else ".")
    )
    if ctx.spec == "Internal Medicine":
        g, s = fact("im_signals_gold"), fact("im_signals_silver")
        steps.append(
            f"Place your Internal Medicine signals ({g.value:g} gold, {s.value:g} silver) on "
            f"IMG-friendly programs where you are a realistic candidate {fact_source(g)}."
        )
    why = (
        "Delays make a low score even harder to overcome: the guide says to submit on the first "
        f"possible day with letters, personal statement and documents ready {source(GUIDE)}."
    )
    return Draft(
        "apply_day_one", "Apply on the first day, with everything ready", why, tuple(steps)
    )


def score_paragraph(ctx: Context) -> Draft | None:
    """One personal-statement paragraph on a low score or a failure."""
    if not ctx.standing.weak:
        return None
    why = (
        f"A low score without context is a liability; inside a convincing growth story it can be "
        f"acceptable. Your standing: {ctx.standing.band_label}"
        + (
            f", {plural(ctx.profile.exam_failures, 'failed attempt')}"
            if ctx.profile.exam_failures
            else ""
        )
        + f" {source(GUIDE)}."
    )
    return Draft(
        "score_paragraph",
        "One personal-statement paragraph on your score",
        why,
        ps_paragraph_outline(ctx),
    )


def cv_reliability(ctx: Context) -> Draft | None:
    """A CV that shows reliability and work ethic."""
    if not ctx.standing.weak:
        return None
    steps = [
        "Lead with long-term commitments: multi-year volunteer roles and long-standing jobs "
        "(scribe, EMT, research assistant).",
        "Show responsibility: chief or leadership roles in organisations and student groups.",
        "Show clinical continuity: every US rotation, with evaluations that mention "
        "professionalism and reliability.",
    ]
    gy = ctx.profile.graduation_year
    if gy is not None and (ctx.profile.years_since_graduation(ctx.today) or 0) > 1:
        steps.append(
            f"Account for the time since you graduated in {gy}: clinical work, research, study, "
            "with dates and no unexplained gaps."
        )
    why = (
        "Program directors worry that a low score predicts trouble with in-training exams and "
        f"boards; the CV should counter that with evidence of reliability {source(GUIDE)}."
    )
    return Draft("cv_reliability", "A CV that shows reliability", why, tuple(steps))


def outreach(ctx: Context) -> Draft | None:
    """A concise email to coordinators of chosen programs (IMGs)."""
    if not ctx.is_img:
        return None
    why = (
        "For a low-score IMG, being just another ERAS application is dangerous; a short, "
        "professional email makes a coordinator or program director expect your application. "
        f"Keep it to 8–10 lines {source(GUIDE)}."
    )
    steps = (
        "Send it selectively: the programs you most want, where you rotated or have a genuine "
        "tie; never a mass mailing"
        + (
            ". Candidates from your list with many IMG residents: " + "; ".join(ctx.sites[:5]) + "."
            if ctx.sites
            else "."
        ),
        "Email: " + coordinator_email(ctx),
    )
    return Draft("outreach", "Email the coordinators of your top programs", why, steps)


def networking(ctx: Context) -> Draft | None:
    """Alumni and residents who can tell you where to apply and speak for you (IMGs)."""
    if not ctx.is_img:
        return None
    steps = (
        f"Contact graduates of your medical school now in {ctx.spec} residencies, and "
        "US-citizen IMGs in the specialty (school networks, LinkedIn).",
        "Ask: which programs look past a low score, which directors value work ethic and US "
        "experience, which rotations act as pipelines.",
        "After a rotation, ask your attending whether you may name them as a reference that "
        "programs can call.",
    )
    why = (
        "A single email from a trusted resident to their program director can get your "
        f"application a closer look {source(GUIDE)}."
    )
    return Draft("networking", "Alumni and resident networking", why, steps)


def interview_prep(ctx: Context) -> Draft:
    """Interview preparation, with the score answer when the score is weak."""
    steps = [
        "Prepare for the directors' concerns: will you pass the boards on the first attempt, "
        "keep up with the pace, and take feedback?",
        *(f"Practise: '{q}'" for q in INTERVIEW_QUESTIONS),
    ]
    if ctx.standing.weak:
        steps.append(interview_score_outline(ctx))
    steps.append(
        "Describe the systems you use for learning and time management, with an example from "
        "your US rotations."
    )
    why = (
        "If the application gets you in the door, the interview must close the deal: directors "
        f"should leave seeing a safe, hard-working intern {source(GUIDE)}."
    )
    return Draft("interview_prep", "Prepare for interviews", why, tuple(steps))


def us_citizen(ctx: Context) -> Draft | None:
    """The US-citizen advantage: visa not required (US IMGs who need no visa)."""
    if not ctx.us_citizen_img:
        return None
    f, g = fact("pd_fm_no_visa_needed"), fact("pd_fm_visa_status")
    why = (
        "As a US citizen you solve the visa problem for programs; the guide says programs often "
        f"prefer US-citizen IMGs because onboarding is simpler {source(GUIDE)}. "
        f"{f.value:g}% of Family Medicine program directors cite being legal to work without a "
        f"visa, and {g.value:g}% cite visa status, when deciding on interviews {fact_source(f)}."
    )
    if "Family Medicine" not in (ctx.spec, ctx.profile.backup_specialty):
        why += (
            f" These are Family Medicine survey figures, not ones for {ctx.spec} (none is "
            "published in SmartPick's data)."
        )
    steps = (
        "In MyERAS, state it unambiguously: Citizenship: US citizen; Visa: not required.",
        "Say in emails, the personal statement and interviews that you can start on time with no "
        "visa delays.",
    )
    return Draft("us_citizen", "Use your US citizenship: visa not required", why, steps)
