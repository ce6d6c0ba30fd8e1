"""Did-you-mean suggestions and forgiving spellings (case, spaces and punctuation ignored).

Used by the profile (unknown fields, enum values, regions) so that ``stepp2`` suggests
``step2_score`` and ``H-1B`` reads as ``h1b``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

__all__ = ["did_you_mean", "key", "quoted", "suggest"]

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

#: Scores (0-100, rapidfuzz WRatio) below this are no suggestion; near the best are offered too.
CUTOFF = 70.0
NEAR = 5.0


def key(text: str) -> str:
    """A spelling's comparison key: lower case, letters and digits only (``J-1`` → ``j1``)."""
    return _NOT_ALNUM.sub("", text.casefold())


def suggest(text: str, choices: Iterable[str] | Mapping[str, str], *, limit: int = 2) -> list[str]:
    """The closest choices to ``text`` (best first, at most ``limit``), or none.

    ``choices`` may map spellings to the value to suggest (several spellings, one value).
    Spellings are compared by :func:`key`, with rapidfuzz's weighted ratio, which scores a
    prefix or a part well (``stepp2`` is closer to ``step2_score`` than to ``step1``).
    """
    target = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    wanted = key(str(text))[:200]
    if not wanted:
        return []
    by_key: dict[str, str] = {}
    for spelling, value in target.items():
        by_key.setdefault(key(spelling), value)
    found = process.extract(wanted, list(by_key), scorer=fuzz.WRatio, limit=None)
    if not found or found[0][1] < CUTOFF:
        return []
    best = found[0][1]
    out: list[str] = []
    for spelling, score, _ in found:
        value = by_key[spelling]
        if score >= max(CUTOFF, best - NEAR) and value not in out:
            out.append(value)
    return out[:limit]


def quoted(values: Iterable[str], last: str = "or") -> str:
    """``'a', 'b' or 'c'``."""
    items = [f"'{v}'" for v in values]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def did_you_mean(text: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """``"; did you mean 'x'?"`` (or ``'x' or 'y'``), or an empty string."""
    hints = suggest(text, choices)
    return f"; did you mean {quoted(hints)}?" if hints else ""
