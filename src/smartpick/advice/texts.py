"""Ready-to-use texts filled with the user's own facts: letter request, coordinator email,
personal-statement paragraph outline, interview answer outline. Placeholders are in brackets."""

from __future__ import annotations

from smartpick.advice.cite import GUIDE, months, plural, source
from smartpick.advice.context import Context

__all__ = [
    "INTERVIEW_QUESTIONS",
    "coordinator_email",
    "interview_score_outline",
    "letter_request",
    "ps_paragraph_outline",
]

#: Questions the guide tells low-score applicants to expect.
INTERVIEW_QUESTIONS: tuple[str, ...] = (
    "Tell me about a challenging situation in medical school and how you handled it.",
    "What did you learn from your Step exam experience?",
    "How do you stay organized when you have multiple simultaneous responsibilities?",
)


def _who(ctx: Context) -> str:
    if ctx.profile.applicant_type == "us_img":
        return "a US-citizen international medical graduate"
    if ctx.profile.applicant_type == "non_us_img":
        return "an international medical graduate"
    return "an applicant"


def letter_request(ctx: Context) -> str:
    """A short request for a strong letter (the guide's wording, personalised)."""
    score = ""
    if ctx.standing.weak and ctx.profile.step2_score is not None:
        score = f" with a Step 2 CK score of {ctx.profile.step2_score}"
    return (
        f"Dear Dr. [Name], thank you for supervising me on [rotation] at [hospital]. I am "
        f"applying to {ctx.spec} residency as {_who(ctx)}{score}. Would you feel comfortable "
        "writing me a strong letter that speaks to my reliability, work ethic, clinical "
        "reasoning and response to feedback? I will send my CV, personal statement and the "
        "ERAS letter request by [date]. Thank you for considering it, [your name]"
    )


def coordinator_email(ctx: Context) -> str:
    """A concise email to a program coordinator, filled with the user's facts."""
    p = ctx.profile
    lines = [f"Subject: {ctx.spec} applicant, [Program name]", "Dear [Coordinator name],"]
    if ctx.us_citizen_img:
        lines.append(
            f"I am a US citizen and a graduate of [medical school] applying to your {ctx.spec} "
            "program this season; no visa is required."
        )
    else:
        lines.append(
            f"I am a graduate of [medical school] applying to your {ctx.spec} program this season."
        )
    lines.append(
        "I am drawn to [Program name] by [one specific reason: its patients, curriculum, region, "
        "or a resident I spoke with]."
    )
    if p.usce_months > 0:
        kind = f" {p.usce_kind}" if p.usce_kind else ""
        unit = "month" if p.usce_months == 1 else "months"
        lines.append(
            f"I have {months(p.usce_months)} {unit} of US{kind} clinical experience at "
            f"[hospital] and {plural(p.us_letters, 'US letter')} of recommendation, "
            f"{p.specialty_letters} of them in {ctx.spec}."
        )
    else:
        lines.append(
            "I am completing US clinical experience at [hospital] and have "
            f"{plural(p.us_letters, 'US letter')} of recommendation."
        )
    if ctx.standing.weak and p.step2_score is not None:
        lines.append(
            f"While my Step 2 CK score of {p.step2_score} is below your program's median, my "
            "US rotations were evaluated at an intern level and my letters speak to my "
            "reliability, work ethic and patient care."
        )
    lines += [
        "I would be grateful if you would review my application in its entirety "
        "(AAMC ID [number]).",
        "Thank you for your time,",
        "[Your name], [phone], [email]",
    ]
    return "\n".join(lines)


def ps_paragraph_outline(ctx: Context) -> tuple[str, ...]:
    """The one personal-statement paragraph on a low score or failure, as steps."""
    p = ctx.profile
    what = []
    if p.step2_score is not None and ctx.standing.band in ("lower", "low", "very_low"):
        what.append(f"your Step 2 CK of {p.step2_score}")
    if p.exam_failures:
        what.append(plural(p.exam_failures, "failed USMLE attempt"))
    elif p.step1 == "fail":
        what.append("the Step 1 failure")
    subject = " and ".join(what) or "your score"
    return (
        f"Acknowledge {subject} briefly, in one paragraph only {source(GUIDE)}.",
        "Context, not excuses: [a health issue now resolved / a family or personal crisis with "
        "its timeline / a hard transition early in school that you overcame].",
        "What you changed: [study system, time management, asking for help early].",
        "Evidence that it worked: [NBME practice scores, clerkship or shelf grades, evaluations "
        f"from your US rotations, research output]{_trajectory(ctx)}.",
        "Close the loop: [how you now plan, seek feedback early and reassess your performance, "
        "and how you will bring that into residency].",
        "Avoid defensiveness or blame, emotional overshare without professional framing, and "
        f"retelling the exam in detail; spend the rest of the statement on {ctx.spec}, patient "
        "care and your strengths.",
    )


def _trajectory(ctx: Context) -> str:
    p = ctx.profile
    if p.step1 == "fail" and p.step2_score is not None:
        return f", including a passing Step 2 CK of {p.step2_score} after the Step 1 failure"
    return ""


def interview_score_outline(ctx: Context) -> str:
    """Outline of the short answer about the score."""
    p = ctx.profile
    fact = f"My Step 2 CK score of {p.step2_score}" if p.step2_score is not None else "My score"
    if p.exam_failures:
        fact = "My failed attempt"
    return (
        "Answer about the score in 20–40 seconds, not a monologue "
        f"{source(GUIDE)}: '{fact} does not reflect how I work now' → what went wrong in one "
        "clause → the system you changed → the evidence (US rotation evaluations, practice "
        "scores) → why you will pass the specialty boards on the first attempt."
    )
