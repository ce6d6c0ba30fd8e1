"""The number checker catches what it should."""

from __future__ import annotations

from smartpick.advice.checks import uncited_sentences, user_numbers

from .fakes import profile


def test_uncited_numbers_are_caught_and_cited_ones_pass() -> None:
    p = profile(step2_score=217, usce_months=3, budget_usd=2500)
    assert "217" in user_numbers(p) and "2,500" in user_numbers(p)
    text = (
        "Your Step 2 CK of 217 needs work. Most programs want 240. "
        "Applicants averaged 235 (source: NRMP Charting Outcomes 2022). "
        "With 2 more months: P(match) 41% → 48% (SmartPick model estimate).\n"
        "Your budget is $2,500. PGY-1 and J-1 are names, not numbers."
    )
    assert uncited_sentences(text, p) == ["Most programs want 240."]
