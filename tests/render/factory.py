"""A realistic PlanResult built in code, for renderer tests."""

from __future__ import annotations

from smartpick.contract import (
    Advice,
    AdviceEffect,
    CurvePoint,
    PlanResult,
    PortfolioPart,
    ProgramOut,
    ScreenedOut,
    StandingOut,
    TierCounts,
    TimelineItem,
)


def make_result(n: int = 5) -> PlanResult:
    """A small plan with every section filled."""
    tiers = ["safety", "target", "reach"]
    programs = [
        ProgramOut(
            program_code=f"1234140C{i}",
            acgme_id=None if i % 2 else f"14000000{i:02d}",
            name=f"Program {i} | <b>Community</b>",
            institution=f"Hospital {i}",
            institution_verified=i != 1,
            city="Toledo",
            state="OH",
            region="Midwest",
            specialty="Internal Medicine",
            track="categorical",
            positions=10 + i,
            setting="community",
            tier=tiers[i % 3],  # type: ignore[arg-type]
            interview_probability=0.5 - 0.05 * i,
            img_share=0.6 if i % 2 == 0 else 0.4,
            img_share_source="published" if i % 2 == 0 else "estimated",
            img_share_sd=None if i % 2 == 0 else 0.12,
            visa_j1=True,
            visa_h1b=None,
            reasons=["62% of residents are IMGs (FREIDA 2025)", "community program"],
            sources=["freida_im_programs_2025.csv (AMA FREIDA, 2025)"],
        )
        for i in range(n)
    ]
    return PlanResult(
        recommended_count=n,
        match_probability=0.81,
        match_probability_low=0.72,
        match_probability_high=0.88,
        expected_interviews=7.4,
        cost_usd=55.0,
        fees_once_usd={"ECFMG token": 165.0, "USMLE transcript": 80.0},
        tier_counts=TierCounts(reach=1, target=2, safety=2),
        curve=[
            CurvePoint(applications=k, match_probability=k / 10, cost_usd=11.0 * k) for k in (1, 5)
        ],
        programs=programs,
        screened_out=[
            ScreenedOut(
                program_code="9999140C0",
                name="Screened Program",
                reason="does not accept applications for 2026-27 (FREIDA 2025)",
                strictness="strict",
            )
        ],
        portfolio=[
            PortfolioPart(
                specialty="Internal Medicine",
                track="categorical",
                count=n,
                cost_usd=55.0,
                match_probability=0.81,
            ),
            PortfolioPart(
                specialty="Family Medicine",
                track="categorical",
                count=3,
                cost_usd=33.0,
                match_probability=0.4,
            ),
        ],
        standing=StandingOut(
            band="low",
            band_label="Low Step 2 CK (< 220)",
            summary="Your Step 2 CK 217 is below the matched range.",
            points=["Matched non-US IMGs: median 254 (Charting Outcomes 2026)"],
        ),
        advice=[
            Advice(
                id="usce",
                title="Add hands-on US clinical experience",
                why="Your 1 month of observership is below the guide's 3-4 months.",
                steps=["Ask for a sub-internship"],
                effect=AdviceEffect(
                    match_probability_before=0.81, match_probability_after=0.86, cost_usd=55.0
                ),
                priority=1,
            )
        ],
        timeline=[
            TimelineItem(date="2026-09-09", title="[past] First day to submit", detail="AAMC"),
            TimelineItem(date="2027-03-03", title="Rank list deadline", detail="NRMP"),
        ],
        notes=["a note"],
        sources=["nrmp_programs_2026.csv (NRMP, 2026)"],
        model_version="test",
    )
