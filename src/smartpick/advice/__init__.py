"""The strategy plan (pure): the guide's advice made personal, measured what-ifs, a timeline.

The planner is injected as an ``evaluate(profile, size) -> Outcome`` function, so this package
imports no model, database, web or CLI code.
"""

from __future__ import annotations

from smartpick.advice.build import build_advice, build_timeline, standing
from smartpick.advice.checks import advice_texts, uncited_sentences
from smartpick.advice.facts import SpecialtyFacts, specialty_facts
from smartpick.advice.markdown import render_markdown
from smartpick.advice.standing import Standing, score_band
from smartpick.advice.whatif import MAX_CALLS, Evaluate, Outcome

__all__ = [
    "MAX_CALLS",
    "Evaluate",
    "Outcome",
    "SpecialtyFacts",
    "Standing",
    "advice_texts",
    "build_advice",
    "build_timeline",
    "render_markdown",
    "score_band",
    "specialty_facts",
    "standing",
    "uncited_sentences",
]
