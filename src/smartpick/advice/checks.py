"""The rule every advice text obeys: a sentence that quotes a number cites its source, is
labelled as a model estimate or an estimated date, or quotes only the user's own facts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from smartpick.advice.cite import MODEL, months, pct, usd
from smartpick.advice.standing import Standing
from smartpick.contract import Advice, TimelineItem
from smartpick.profile import Profile

__all__ = ["MARKERS", "advice_texts", "uncited_sentences", "user_numbers"]

#: A sentence carrying one of these is cited.
MARKERS: tuple[str, ...] = ("(source:", MODEL, "(estimated from the ", "(estimated;")
#: Names that contain digits but quote no number.
_NAMES = re.compile(r"\b(?:Step [123](?: CK)?|PGY-[12]|J-1|H-1B)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def user_numbers(profile: Profile) -> set[str]:
    """The numbers of the profile as advice texts print them."""
    p = profile
    out = {
        str(p.exam_failures),
        months(p.usce_months),
        str(p.us_letters),
        str(p.specialty_letters),
        str(p.research_items),
        pct(p.target_match_probability).rstrip("%"),
    }
    if p.step2_score is not None:
        out.add(str(p.step2_score))
    if isinstance(p.step1, int):
        out.add(str(p.step1))
    if p.graduation_year is not None:
        out.add(str(p.graduation_year))
    if p.budget_usd is not None:
        out.add(usd(p.budget_usd).lstrip("$"))
    return out


def uncited_sentences(text: str, profile: Profile) -> list[str]:
    """Sentences of ``text`` that quote a number that is neither cited nor the user's own."""
    mine = user_numbers(profile)
    bad = []
    for sentence in _SENTENCE.split(text):
        if any(m in sentence for m in MARKERS):
            continue
        numbers = _NUMBER.findall(_NAMES.sub("", sentence))
        if any(n not in mine for n in numbers):
            bad.append(sentence.strip())
    return bad


def advice_texts(
    advice: Iterable[Advice], timeline: Iterable[TimelineItem] = (), where: Standing | None = None
) -> list[str]:
    """Every user-visible text of a plan's advice, timeline details and standing."""
    out: list[str] = []
    for a in advice:
        out += [a.title, a.why, *a.steps]
    out += [t.detail for t in timeline]
    if where is not None:
        out += [where.summary, *where.points]
    return out
