"""Word-level helpers of the Residency Explorer score (pure, no I/O).

Used by :mod:`smartpick.catalog.explorer_score`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .names import acronym

__all__ = ["GENERIC", "STATE_UNIVERSITY", "initials", "state_university", "word_found"]

#: Name similarity factor between "X State University" and "University of X".
STATE_UNIVERSITY = 0.5

#: Site words that do not single a site out on their own.
GENERIC = frozenset(
    [
        "rural",
        "urban",
        "medical",
        "center",
        "hospital",
        "hospitals",
        "health",
        "family",
        "medicine",
        "north",
        "south",
        "east",
        "west",
        "saint",
        "university",
        "community",
        "campus",
        "regional",
        "county",
        "city",
        "general",
        "memorial",
        "clinic",
        "program",
        "training",
        "track",
        "residency",
        "practice",
        "care",
        "system",
        "new",
    ]
)


@functools.lru_cache(maxsize=200_000)
def word_found(word: str, words: frozenset[str]) -> bool:
    """Exact, a plural / possessive form (≤ 2 letters more), or a near spelling (6+ letters,
    same first three letters)."""
    from rapidfuzz import fuzz

    if word in words:
        return True
    for w in words:
        if w[:3] != word[:3]:
            continue
        short, long_ = (w, word) if len(w) <= len(word) else (word, w)
        if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2:
            return True
        if len(short) >= 6 and fuzz.ratio(w, word) >= 85:
            return True
    return False


def initials(name: str, segs: Sequence[str]) -> frozenset[str]:
    """Initials of the name and of each part, and of every 3-6 consecutive words ("GLA")."""
    out = {acronym(t) for t in (name, *segs) if len(t.split()) > 1}
    words = name.split()
    for k in range(len(words)):
        for n in range(3, 7):
            if k + n <= len(words):
                out.add("".join(w[0] for w in words[k : k + n]))
    return frozenset(out)


def state_university(name: str, text: str) -> float:
    """STATE_UNIVERSITY when one name says "X State University" and the other "University of X"
    without "X State" (Michigan State is not the University of Michigan), else 1."""
    if "state" not in name and "state" not in text:
        return 1.0
    a, b = _state_univ(name), _state_univ(text)
    for (a_states, a_univ), (b_states, b_univ) in ((a, b), (b, a)):
        if any(x not in b_states and x in b_univ and x not in a_univ for x in a_states):
            return STATE_UNIVERSITY
    return 1.0


@functools.lru_cache(maxsize=50_000)
def _state_univ(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words X of "X state university" and of "university X" in a normalised name."""
    w = text.split()
    states = {
        w[i - 1] for i in range(1, len(w) - 1) if w[i] == "state" and w[i + 1] == "university"
    }
    univ = {w[i + 1] for i in range(len(w) - 1) if w[i] == "university"}
    return frozenset(states), frozenset(univ)
