"""The guide's measurable levers, each measured with the model: more hands-on US clinical
experience, more US letters, Step 2 CK timing (plausible scores), wider geography, more programs.

Each rule takes a :class:`Context` and returns a :class:`Draft`, or None when it does not
apply to this applicant.
"""

from __future__ import annotations

from smartpick.advice.cite import GUIDE, MODEL, day, fact_source, months, pct, plural, source, usd
from smartpick.advice.context import Context, Draft, effect_sentence
from smartpick.advice.texts import letter_request
from smartpick.advice.whatif import HANDS_ON, changed
from smartpick.datafiles import fact

__all__ = [
    "MORE_PROGRAMS",
    "USCE_EXTRA_MONTHS",
    "geography",
    "letters",
    "more_programs",
    "step2_timing",
    "survey_figure",
    "usce",
    "visa_j1",
]

#: What-if sizes (our choices, not facts): extra months of hands-on USCE, extra programs.
USCE_EXTRA_MONTHS = 2.0
MORE_PROGRAMS = 20
#: The guide's targets: months of USCE in the specialty, US letters in the specialty.
USCE_TARGET_MONTHS = 3.0
LETTERS_TARGET = 3


def usce(ctx: Context) -> Draft | None:
    """More hands-on US clinical experience in the specialty (IMGs)."""
    p = ctx.profile
    hands_on = p.usce_kind in HANDS_ON
    if not ctx.is_img or (p.usce_months >= USCE_TARGET_MONTHS + 1 and hands_on):
        return None
    kind = p.usce_kind if hands_on else "elective"
    extra = USCE_EXTRA_MONTHS
    m = ctx.runner.measure(
        "usce",
        changed(p, ctx.today, usce_months=min(120.0, p.usce_months + extra), usce_kind=kind),
    )
    why = [
        f"You have {ctx.usce_phrase}. With a low score the guide asks for 3–4 months of "
        f"hands-on US experience in the target specialty {source(GUIDE)}."
    ]
    why.append(
        survey_figure(
            "pd_fm_audition_rotation",
            ctx,
            "{value}% of Family Medicine program directors cite an audition rotation when "
            "deciding on interviews {source}.",
        )
    )
    if m is not None:
        why.append(
            effect_sentence(m, f"With {months(extra)} more months of hands-on experience ({kind})")
        )
    steps = (
        "Choose hands-on roles: US core clerkships at teaching hospitals first, then electives "
        "or sub-internships in the specialty; observerships only with continuity; shadowing "
        f"counts least {source(GUIDE)}.",
        f"Rotate in {ctx.spec} at IMG-friendly programs or their affiliated hospitals: the "
        "target and safety programs on your SmartPick list with the highest IMG share"
        + (", e.g. " + "; ".join(ctx.sites[:3]) + "." if ctx.sites else "."),
        "Work like a pre-intern: arrive early, know your patients, volunteer for admissions and "
        "presentations, and ask mid-rotation what would make you perform at an intern level.",
        "At the end, ask the attending whether they will support your application, write a "
        "letter and take calls from programs.",
        "Rotation fees are not included in the ERAS cost shown.",
    )
    return Draft(
        "usce", f"Get more hands-on US clinical experience in {ctx.spec}", " ".join(why), steps, m
    )


def letters(ctx: Context) -> Draft | None:
    """Strong US letters in the specialty, one from a program director or core faculty."""
    p = ctx.profile
    if p.us_letters >= LETTERS_TARGET + 1 and p.specialty_letters >= LETTERS_TARGET:
        return None
    new_us = min(20, max(p.us_letters + 1, LETTERS_TARGET))
    new_spec = min(20, max(p.specialty_letters + 1, LETTERS_TARGET))
    m = ctx.runner.measure(
        "letters", changed(p, ctx.today, us_letters=new_us, specialty_letters=new_spec)
    )
    why = [
        f"You have {plural(p.us_letters, 'US letter')}, {p.specialty_letters} of them in "
        f"{ctx.spec}. The guide asks for 3–4 strong US clinical letters in the specialty, at "
        f"least one from a program director or core faculty member {source(GUIDE)}.",
        survey_figure(
            "pd_fm_letters_in_specialty",
            ctx,
            "{value}% of Family Medicine program directors cite letters in the specialty when "
            "deciding on interviews {source}.",
        ),
    ]
    if m is not None:
        why.append(
            effect_sentence(m, f"With {new_us} US letters, {new_spec} of them in {ctx.spec}")
        )
    steps = (
        "Ask attendings who supervised you closely; fewer exceptional letters beat several "
        "generic ones.",
        "Ask them to address work ethic, clinical reasoning, teamwork, reliability and response "
        "to feedback, and to say whether they would rank you highly.",
        "Request text: " + letter_request(ctx),
        f"Have every letter uploaded and assigned before the first submission day "
        f"({day(ctx.submission().date)}) {ctx.submission().citation}.",
    )
    return Draft("letters", f"Strong US letters in {ctx.spec}", " ".join(why), steps, m)


def step2_timing(ctx: Context) -> Draft | None:
    """Step 2 CK not yet taken: time it, and see what plausible scores do to the odds."""
    p = ctx.profile
    if p.step2_score is not None:
        return None
    scenarios = _step2_scenarios(ctx)
    seen: set[int] = set()
    measured = []
    steps = []
    for score, label in scenarios:
        if score in seen:
            continue
        seen.add(score)
        m = ctx.runner.measure(f"step2_{score}", changed(p, ctx.today, step2_score=score))
        if m is None:
            continue
        measured.append(m)
        steps.append(effect_sentence(m, f"Step 2 CK {score} (the {label})"))
    review = ctx.cycle_event("programs_review", ctx.submission().match_year)
    steps += [
        f"Book the exam so that the score is reported before programs begin reviewing "
        f"applications ({day(review.date)}) {review.citation}.",
        "If your clinical performance suggests you will clearly outperform your earlier record, "
        "let programs see the score; if it may be low, make every other part of the application "
        "complete and professional.",
    ]
    why = "You have not taken Step 2 CK yet. " + survey_figure(
        "pd_im_step2",
        ctx,
        "{value}% of Internal Medicine program directors cite it when deciding on interviews "
        "{source}.",
    )
    # the effect shown: the middle scenario (matched median), else the only one measured
    effect = measured[min(1, len(measured) - 1)] if measured else None
    return Draft("step2_timing", "Time Step 2 CK so programs see it", why, tuple(steps), effect)


def _step2_scenarios(ctx: Context) -> list[tuple[int, str]]:
    """Plausible Step 2 CK scores for this applicant type, from the published distributions."""
    f = ctx.facts
    out: list[tuple[int, str]] = []
    if ctx.profile.applicant_type in ("us_md", "us_do"):
        md = f.step2_us_md_matched
        if md is not None:
            for q, label in (
                (md.q1, "lower quartile"),
                (md.median, "median"),
                (md.q3, "upper quartile"),
            ):
                if q is not None:
                    out.append(
                        (int(q), f"{label} of US MD seniors who matched in {f.name} {md.citation}")
                    )
    else:
        nm, mt = f.step2_non_us_img_not_matched, f.step2_non_us_img_matched
        if nm is not None and nm.median is not None:
            out.append(
                (
                    int(nm.median),
                    f"median of non-US IMGs who did not match in {f.name} {nm.citation}",
                )
            )
        if mt is not None and mt.median is not None:
            out.append(
                (int(mt.median), f"median of non-US IMGs who matched in {f.name} {mt.citation}")
            )
        if mt is not None and mt.q3 is not None:
            out.append(
                (int(mt.q3), f"upper quartile of non-US IMGs who matched in {f.name} {mt.citation}")
            )
    if not out:  # no published distribution: the guide's band edges
        out = [(s, f"a band edge of the guide {source(GUIDE)}") for s in (220, 230, 245)]
    return out


def geography(ctx: Context) -> Draft | None:
    """Widen the geography: drop the region preference (measured)."""
    p = ctx.profile
    if not p.regions:
        return None
    m = ctx.runner.measure("geography", changed(p, ctx.today, regions=()))
    regions = ", ".join(p.regions)
    why = [
        f"You limited your list to {regions}. The guide favours areas with less competition and "
        f"more IMGs: non-coastal cities, the Midwest, parts of the South, community hospitals "
        f"{source(GUIDE)}."
    ]
    if m is not None:
        why.append(effect_sentence(m, "With no region preference"))
    steps = (
        "Add IMG-friendly community programs outside your preferred regions; keep your excluded "
        "states excluded.",
        "Check resident rosters for current US-citizen IMGs before adding a program.",
    )
    return Draft("geography", "Apply beyond your preferred regions", " ".join(why), steps, m)


def more_programs(ctx: Context) -> Draft | None:
    """Apply to more programs than recommended (measured with a forced list size)."""
    n = ctx.base.recommended_count
    total = n + MORE_PROGRAMS
    m = ctx.runner.measure("more_programs", ctx.profile, total)  # size: the whole portfolio
    if m is None:
        return None
    why = [
        effect_sentence(
            m, f"Applying to {m.after.recommended_count} programs instead of the recommended {n}"
        )
    ]
    budget = ctx.profile.budget_usd
    if budget is not None and m.after.cost_usd > budget:
        why.append(f"That is above your budget of {usd(budget)}.")
    if m.gain < 0.01:
        why.append(
            "The gain is small: the recommended list is near the point where more applications "
            "stop paying."
        )
    steps = (
        "Add target and safety programs, not reaches: the main mistake of low-score US-citizen "
        f"IMGs is too few true safeties {source(GUIDE)}.",
        f"Current plan: P(match) {pct(ctx.base.match_probability)} with "
        f"{plural(n, 'program')} {MODEL}.",
    )
    return Draft("more_programs", "Apply to more programs", " ".join(why), steps, m)


def visa_j1(ctx: Context) -> Draft | None:
    """An applicant who asked for H-1B: the same plan with a J-1 (measured)."""
    p = ctx.profile
    if p.visa != "h1b":
        return None
    m = ctx.runner.measure("visa_j1", changed(p, ctx.today, visa="j1"))
    why = [
        "Fewer programs sponsor the H-1B than the J-1 (ECFMG-sponsored), so an H-1B list has "
        "fewer programs to choose from."
    ]
    if m is not None:
        why.append(effect_sentence(m, "With a J-1 instead of an H-1B"))
    steps = (
        "Compare the two visas' terms (the J-1's two-year home-residence requirement and its "
        "waivers) with an immigration adviser before you decide.",
        "If the exchange-visitor visa would do, change the visa field and plan again: more "
        "programs become listable.",
    )
    return Draft("visa_j1", "Compare a J-1 with the H-1B", " ".join(why), steps, m)


def survey_figure(key: str, ctx: Context, text: str) -> str:
    """A program-director survey sentence, labelled when the survey is of another specialty.

    ``key`` is a ``facts.csv`` key ``pd_<fm|im>_…``; ``text`` the sentence with ``{value}``
    and ``{source}``. The survey specialty is named in the text; when it is not the user's
    specialty, the sentence says so (no such figure is published here for theirs).
    """
    f = fact(key)
    survey = {"fm": "Family Medicine", "im": "Internal Medicine"}[key.split("_")[1]]
    out = text.format(value=f"{f.value:g}", source=fact_source(f))
    if survey not in (ctx.spec, ctx.profile.backup_specialty):
        out = out.rstrip(".") + (
            f"; this is a {survey} survey figure, not one for {ctx.spec} (none is published "
            "in SmartPick's data)."
        )
    return out
