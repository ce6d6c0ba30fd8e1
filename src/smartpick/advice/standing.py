"""Where the applicant stands: the guide's Step 2 CK band, failures, and the specialty's figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smartpick.advice.cite import GUIDE, data_source, pct, plural, source
from smartpick.advice.facts import (
    Distribution,
    SpecialtyFacts,
    advanced_positions,
    type_rates,
)
from smartpick.datafiles import fact
from smartpick.profile import Profile

PROGRAMS = "nrmp_programs_2026.csv"

__all__ = ["BANDS", "Band", "Standing", "score_band", "standing"]

Band = Literal["strong", "competitive", "lower", "low", "very_low", "not_taken"]

#: Band → (lowest score in the band, label). The guide's ballpark bands for Step 2 CK.
BANDS: dict[Band, tuple[int | None, str]] = {
    "strong": (245, "strong (245 and above)"),
    "competitive": (230, "competitive (230–244)"),
    "lower": (220, "lower side of competitive (220–229)"),
    "low": (210, "low (below 220)"),
    "very_low": (None, "very low (below 210)"),
    "not_taken": (None, "not yet taken"),
}
#: A numeric Step 1 (older cohorts) below this is "below average" in the guide (~220-225).
STEP1_BELOW_AVERAGE = 225
#: Bands the guide treats as needing compensation (score paragraph, CV, backups).
WEAK_BANDS: frozenset[Band] = frozenset({"lower", "low", "very_low"})


def score_band(step2_score: int | None) -> Band:
    """The guide's band for a Step 2 CK score (``not_taken`` for None)."""
    if step2_score is None:
        return "not_taken"
    ordered: tuple[Band, ...] = ("strong", "competitive", "lower", "low")
    for band in ordered:
        floor = BANDS[band][0]
        if floor is not None and step2_score >= floor:
            return band
    return "very_low"


@dataclass(frozen=True)
class Standing:
    """The applicant's standing, with sentences that cite their figures."""

    band: Band
    band_label: str
    step2_score: int | None
    exam_failures: int
    step1_failed: bool
    specialty: str
    facts: SpecialtyFacts
    summary: str
    points: tuple[str, ...]

    @property
    def weak(self) -> bool:
        """True when the guide says the score or record needs compensating."""
        return self.band in WEAK_BANDS or self.exam_failures > 0 or self.step1_failed


def _position(score: int, d: Distribution) -> str:
    """Where a score falls in a distribution's quartiles, in words."""
    if d.q1 is not None and score < d.q1:
        return f"below the lower quartile ({d.q1:g})"
    if d.median is not None and score < d.median:
        return f"between the lower quartile and the median ({d.median:g})"
    if d.q3 is not None and score < d.q3:
        return f"between the median and the upper quartile ({d.q3:g})"
    if d.q3 is not None:
        return f"at or above the upper quartile ({d.q3:g})"
    return f"compared with a median of {d.median:g}"


def _score_points(score: int, f: SpecialtyFacts) -> list[str]:
    out: list[str] = []
    m = f.step2_non_us_img_matched
    if m is not None and m.median is not None:
        out.append(
            f"Your Step 2 CK of {score} is {_position(score, m)} of non-US IMGs who matched in "
            f"{f.name} {m.citation}; US-citizen IMGs are not published separately."
        )
    nm = f.step2_non_us_img_not_matched
    if nm is not None and nm.median is not None:
        out.append(
            f"Non-US IMGs who did not match in {f.name} had a median Step 2 CK of "
            f"{nm.median:g} {nm.citation}, so a score alone does not decide the outcome."
        )
    md = f.step2_us_md_matched
    if md is not None and md.median is not None:
        out.append(
            f"Matched US MD seniors in {f.name} had a median Step 2 CK of {md.median:g} "
            f"{md.citation}."
        )
    if f.name == "Internal Medicine":
        us, non = fact("im_step2_mean_matched_us_img"), fact("im_step2_mean_matched_non_us_img")
        out.append(
            f"In Internal Medicine, matched US-citizen IMGs averaged {us.value:g} against "
            f"{non.value:g} for non-US IMGs (source: {us.source}, {us.year})."
        )
    return out


def _pgy1_only(f: SpecialtyFacts) -> str:
    """A caveat when most of the specialty's positions are advanced (not in the PGY-1 table)."""
    adv, total = advanced_positions(f.code)
    if not total or adv / total < 0.25:
        return ""
    return (
        f" That table counts PGY-1 positions only; {adv:,} of the specialty's {total:,} "
        f"positions in the 2026 Match are advanced (PGY-2) {data_source(PROGRAMS)}."
    )


def _group_points(p: Profile, f: SpecialtyFacts) -> list[str]:
    """The figures of the applicant's own group (US-citizen IMGs, US MD / DO seniors, non-US
    IMGs), and for IMGs the specialty's IMG share and the guide's view of it."""
    t = type_rates(f.code, p.applicant_type)
    img = p.applicant_type in ("us_img", "non_us_img")
    out: list[str] = []
    if t.ranked and t.matched is not None:
        out.append(
            f"In {f.name}, {t.matched:,} of {t.ranked:,} {t.group} who ranked the specialty "
            f"matched to it ({pct(t.matched / t.ranked)}) {t.track_citation}; ranking includes "
            "applicants who used it as a backup." + _pgy1_only(f)
        )
    if img and f.img_share_filled_2025 is not None:
        s = f.img_share_filled_2025
        out.append(
            f"IMGs filled {pct(s.value)} of the {f.name} positions filled in 2025 "
            f"{s.citation}, derived."
        )
    if t.overall is not None:
        o = t.overall
        out.append(
            f"Across all specialties, {pct(o.value)} of active {t.group} matched in {o.year} "
            f"{o.citation}."
        )
    if img:
        kind = {
            "most": "one of the most realistic specialties for US-citizen IMGs with below-average "
            "scores",
            "possible": "possible for US-citizen IMGs depending on profile and region",
            "less": "less IMG-friendly, with higher scores expected",
        }[f.friendliness]
        out.append(f"The guide calls {f.name} {kind} {source(GUIDE)}.")
    return out


def _other_survey(p: Profile, survey: str = "Internal Medicine") -> str:
    """The label of a survey figure from another specialty than the user's."""
    if survey in (p.specialty, p.backup_specialty):
        return ""
    return f", a {survey} survey figure, not one for {p.specialty}"


def _failure_points(p: Profile) -> list[str]:
    out: list[str] = []
    if isinstance(p.step1, int) and p.step1 < STEP1_BELOW_AVERAGE:
        out.append(
            f"Your numeric Step 1 of {p.step1} is below the 220–225 that the guide calls below "
            f"average for competitive programs {source(GUIDE)}."
        )
    fails = p.exam_failures + (1 if p.step1 == "fail" and p.exam_failures == 0 else 0)
    if fails:
        f = fact("pd_im_failed_attempt")
        out.append(
            f"Your record shows {plural(fails, 'failed USMLE attempt')}; {f.value:g}% of Internal "
            f"Medicine program directors cite any failed attempt when deciding on interviews "
            f"(source: {f.source}, {f.year}){_other_survey(p)}. The guide's repair plan: a "
            "clear upward trajectory, "
            f"concrete behaviour change and later success under similar pressure {source(GUIDE)}."
        )
    return out


def standing(profile: Profile, facts: SpecialtyFacts) -> Standing:
    """Where the applicant stands for their chosen specialty (facts: that specialty's figures)."""
    band = score_band(profile.step2_score)
    label = BANDS[band][1]
    score = profile.step2_score
    if score is None:
        summary = (
            f"Step 2 CK not yet taken: your score will decide much of your list for {facts.name}."
        )
    else:
        summary = (
            f"Step 2 CK {score}: {label} in the guide's ballpark bands {source(GUIDE)}, "
            f"applying to {facts.name}."
        )
    points = [
        *(_score_points(score, facts) if score is not None else []),
        *_group_points(profile, facts),
        *_failure_points(profile),
    ]
    return Standing(
        band=band,
        band_label=label,
        step2_score=score,
        exam_failures=profile.exam_failures,
        step1_failed=profile.step1 == "fail",
        specialty=facts.name,
        facts=facts,
        summary=summary,
        points=tuple(points),
    )
