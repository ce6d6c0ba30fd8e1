"""Citation labels and number formatting shared by every advice text.

Every sentence of an advice text that quotes a number either cites its source with
``(source: …)``, is labelled as a model output with :data:`MODEL`, is labelled as an estimated
date with ``(estimated from the … calendar …)``, or quotes only the user's own facts. The checker
in :mod:`smartpick.advice.checks` enforces this.
"""

from __future__ import annotations

import datetime as dt

from smartpick.datafiles import Fact
from smartpick.resources import DATA_FILES

__all__ = [
    "GUIDE",
    "MODEL",
    "data_source",
    "day",
    "fact_source",
    "months",
    "pct",
    "plural",
    "source",
    "usd",
]

#: The label every model output carries.
MODEL = "(SmartPick model estimate)"

#: The strategy guide the advice encodes (SmartPick's seed guide; its figures are ballparks).
GUIDE = "guide 'Low Step Score Strategies for US Citizen IMGs'"


def source(what: str) -> str:
    """``(source: what)``."""
    return f"(source: {what})"


def data_source(filename: str) -> str:
    """Citation of a bundled data file, e.g. ``(source: NRMP Advance Data Tables, 2025 …)``."""
    publisher, year = DATA_FILES[filename]
    return source(publisher if year in publisher else f"{publisher}, {year}")


def fact_source(f: Fact) -> str:
    """Citation of a scalar fact from ``facts.csv``."""
    return source(f.source if f.year in f.source else f.citation)


def pct(p: float) -> str:
    """A probability as a percentage: whole above 9.5% (``43%``), else one decimal (``2.4%``)."""
    return f"{100 * p:.0f}%" if p >= 0.095 else f"{100 * p:.1f}%"


def usd(x: float) -> str:
    """Dollars with thousands separators, e.g. ``$1,234``."""
    return f"${x:,.0f}"


def plural(n: float, word: str, many: str | None = None) -> str:
    """``1 letter`` / ``3 letters`` (numbers printed as in :func:`months`)."""
    return f"{n:g} {word if n == 1 else (many or word + 's')}"


def day(d: dt.date) -> str:
    """``8 September 2027``."""
    return f"{d.day} {d:%B %Y}"


def months(m: float) -> str:
    """Months without a trailing ``.0`` (``3`` or ``1.5``)."""
    return f"{m:g}"
