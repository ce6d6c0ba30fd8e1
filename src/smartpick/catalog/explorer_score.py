"""Evidence that an Explorer row is an NRMP unit: the linker's score (pure, no I/O).

Used by :mod:`smartpick.catalog.explorer`; the terms are described in :func:`evidence` and in
``docs/explorer.md``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from .explorer_text import GENERIC, initials, state_university, word_found
from .explorer_units import ExplorerInput, Unit, normal, row_text, segments
from .names import TokenWeights

__all__ = [
    "Cities",
    "Pair",
    "RowText",
    "Sponsors",
    "Weights",
    "evidence",
    "score",
    "site_named",
    "site_share",
]

#: Score weights (dimensionless; see docs/explorer.md).
UNLINKED_SCORE = 0.6
W_NAME = 8.0
NAME_CENTRE = 0.45
W_CITY = 1.0
PENALTY_CITY = 0.5
W_SITE = 2.5
PENALTY_SITE = 1.0
W_MAIN = 0.3
W_ORDER = 1.5
W_SPONSOR = 2.5
PENALTY_SPONSOR = 0.5
#: The hospital a row names after its last '/' must be found in the unit's names (weighted
#: share) or cost PENALTY_PART.
PART_COVER = 0.34
PENALTY_PART = 1.2
#: A part of the row's name counts less than the whole ("Icahn …/Beth Israel").
SEGMENT_DISCOUNT = 0.85
#: Name similarity credited when the row spells a unit name's initials ("SLCH").
ACRONYM_SIM = 0.8
#: Score of a pair whose row and unit name two different hospitals (never linked).
CONTRADICTION = 100.0
#: A site unit listed in another state costs this much.
PENALTY_OTHER_STATE = 1.0

#: (state, normalised sponsor name) → institution prefix → specialty codes of its confident links
Sponsors = Mapping[tuple[str, str], Mapping[str, frozenset[str]]]
#: institution prefix → normalised city → specialty codes of the confident main-unit links there
Cities = Mapping[str, Mapping[str, frozenset[str]]]


@dataclass(frozen=True)
class Pair:
    score: float
    parts: tuple[str, ...]


@dataclass(frozen=True)
class RowText:
    """An Explorer row's normalised texts."""

    name: str
    city: str
    text: str  # name + city
    words: frozenset[str]  # of the name and the city
    name_words: frozenset[str]
    segments: tuple[str, ...]
    acronyms: frozenset[str]
    last: str  # the part after the last '/' ("" when none): often the site hospital

    @classmethod
    @functools.lru_cache(maxsize=20_000)
    def of(cls, row: ExplorerInput) -> RowText:
        name, city = row_text(row.program_name, row.city, row.state)
        text = f"{name} {city}".strip()
        segs = segments(row.program_name, row.state)
        return cls(
            name,
            city,
            text,
            frozenset(text.split()),
            frozenset(name.split()),
            segs,
            initials(name, segs),
            row_text(row.program_name.rsplit("/", 1)[1], None, row.state)[0]
            if "/" in row.program_name
            else "",
        )


class Weights(TokenWeights):
    """:class:`~smartpick.catalog.names.TokenWeights` with its coverage memoised."""

    def __init__(self, documents: list[str]) -> None:
        super().__init__(documents)
        self._memo: dict[tuple[str, str], float] = {}
        self._weights: dict[str, float] = {}
        #: (id(row), id(unit)) → evidence without the sponsor term (both passes share it)
        self.pairs: dict[tuple[int, int], Pair] = {}
        self.elsewhere: dict[tuple[str, str], list[Unit]] = {}  # block → other states' units

    def coverage(self, needle: str, haystack: str) -> float:
        """As :meth:`TokenWeights.coverage` (same result), with an index of the haystack."""
        key = (needle, haystack)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = self._coverage(needle, haystack)
        return got

    def _coverage(self, needle: str, haystack: str) -> float:
        words = needle.split()
        if not words:
            return 0.0
        exact, by_stem = _index(haystack)
        total = found = 0.0
        for w in words:
            weight = self._weight(w)
            total += weight
            # a word of 4+ letters also meets a 4+ letter word it begins or that begins it:
            # both then share their first four letters
            if w in exact or (
                len(w) >= 4
                and any(h.startswith(w) or w.startswith(h) for h in by_stem.get(w[:4], ()))
            ):
                found += weight
        return found / total

    def _weight(self, word: str) -> float:
        got = self._weights.get(word)
        if got is None:
            got = self._weights[word] = self.weight(word)
        return got


@functools.lru_cache(maxsize=50_000)
def _index(text: str) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """A haystack's words, and its 4+ letter words by their first four letters."""
    words = frozenset(text.split())
    by_stem: dict[str, list[str]] = {}
    for h in words:
        if len(h) >= 4:
            by_stem.setdefault(h[:4], []).append(h)
    return words, {k: tuple(v) for k, v in by_stem.items()}


def site_named(unit: Unit, row: RowText) -> bool:
    """Is the unit's site named in the row (at least half of it, :func:`site_share`)?"""
    return site_share(unit, row) >= 0.5


def site_share(unit: Unit, row: RowText) -> float:
    """How much of the unit's site ("Payson", "MCW-Fox Vly-Appleton", "ACMC") the row names.

    1 when an upper-case site of 3-6 letters is the initials of words of the row's name; else
    the share of the site's distinctive words (not in :data:`~.explorer_text.GENERIC`) found
    in the row's name (half a word when only the row's city has it; generic words weigh half);
    a site of generic words only ("Rural", "South Campus") counts 1 when all are found.
    """
    return _site_share(unit.site, row)


@functools.lru_cache(maxsize=200_000)
def _site_share(site_raw: str | None, row: RowText) -> float:
    if not site_raw:
        return 0.0
    raw = site_raw.replace(".", "").strip()
    if raw.isupper() and 2 < len(raw) <= 6 and raw.lower() in row.acronyms:
        return 1.0
    words = [w for w in normal(site_raw).split() if len(w) > 1]
    distinctive = [w for w in words if w not in GENERIC]
    joined = "".join(distinctive)
    if len(joined) >= 5 and joined in row.text.replace(" ", ""):
        return 1.0  # "LaCrosse" = "La Crosse"
    if distinctive:
        # a site word found only as the row's city counts half ("Denver Hlth" vs a Denver row);
        # generic words weigh half ("Rupert/Rural": the Rural row names a third of it)
        def found(w: str) -> float:
            return 1.0 if word_found(w, row.name_words) else 0.5 * word_found(w, row.words)

        generic = [w for w in words if w in GENERIC]
        got = sum(found(w) for w in distinctive) + 0.5 * sum(found(w) for w in generic)
        return got / (len(distinctive) + 0.5 * len(generic))
    return float(bool(words) and all(word_found(w, row.words) for w in words))


def score(
    row: RowText,
    unit: Unit,
    weights: Weights,
    sponsors: Sponsors,
    state: str,
    cities: Cities | None = None,
) -> Pair:
    """:func:`evidence` plus the terms learnt from the first pass (sponsor, city).

    city: a main unit whose city is unknown takes the one city that confident links of the
    institution's other specialties agree on (+W_CITY same city as the row, −PENALTY_CITY not).
    """
    key = (id(row), id(unit))
    base = weights.pairs.get(key)
    if base is None:
        base = weights.pairs[key] = evidence(row, unit, weights, state)
    if cities and unit.city is None and not unit.site and row.city:
        seen_city = {
            c for c, specs in cities.get(unit.inst, {}).items() if specs - {unit.specialty}
        }
        if len(seen_city) == 1:
            same = row.city in seen_city
            base = Pair(
                base.score + (W_CITY if same else -PENALTY_CITY),
                (*base.parts, "city") if same else base.parts,
            )
    seen = sponsors.get((state, row.name), {})
    known = {inst for inst, specs in seen.items() if specs - {unit.specialty}}
    if not known:
        return base
    if unit.inst in known:
        return Pair(base.score + W_SPONSOR, (*base.parts, "sponsor"))
    return Pair(base.score - PENALTY_SPONSOR, base.parts)


def evidence(row: RowText, unit: Unit, weights: TokenWeights, state: str) -> Pair:
    """Evidence that the row is ``unit`` (above the "unlinked" option, score 0).

    name = W_NAME·(sim − NAME_CENTRE), sim = best over the unit's names of
    0.6·(share of the unit name's words in the row's name and city) + 0.4·(share of the words
    of the row's name, or of a part of it (:func:`~.explorer_units.segments`), in the unit
    name), IDF-weighted (no term when the
    institution's name is unknown); city = +W_CITY same city, −PENALTY_CITY another; site =
    +W_SITE when a site unit's site is named in the row (:func:`site_named`), −PENALTY_SITE
    when not (only if the institution has other units in the block), +W_MAIN for the main unit
    then; order = +W_ORDER when a lost heading's true name must sort where the row's name
    does; sponsor = +W_SPONSOR when confident links of another specialty put the row's sponsor
    name at this institution, −PENALTY_SPONSOR when they put it elsewhere.
    """
    parts: list[str] = []
    total = -UNLINKED_SCORE
    sim = max(
        (
            (
                0.6 * weights.coverage(t, row.text)
                + 0.4
                * max(
                    weights.coverage(row.name, t),
                    SEGMENT_DISCOUNT
                    * max((weights.coverage(x, t) for x in row.segments), default=0),
                )
            )
            * state_university(row.name, t)
            for t in unit.texts
        ),
        default=-1.0,
    )
    if any(len(a) > 2 and a in row.words for a in unit.acronyms):
        sim = max(sim, ACRONYM_SIM)  # "SLCH" in the row = St Louis Children's Hospital
    if sim >= 0:
        total += W_NAME * (sim - NAME_CENTRE)
        if sim >= 0.75:
            parts.append("name")
    ucity = normal(unit.city)
    if ucity and row.city:
        if ucity == row.city:
            total += W_CITY
            parts.append("city")
        else:
            total -= PENALTY_CITY
    share = site_share(unit, row)
    named = share >= 0.5
    if unit.site:
        if named:
            parts.append("site")
        if share > 0 or unit.siblings > 1:
            total += W_SITE * share - PENALTY_SITE * (1.0 - share)
    elif unit.siblings > 1:
        total += W_MAIN
        if row.city and set(row.city.split()) <= set(" ".join(unit.texts).split()):
            total += W_MAIN  # the campus in the city the institution is named after
    if (
        row.last
        and not named
        and unit.texts
        and max(weights.coverage(row.last, t) for t in unit.texts) < PART_COVER
        and not any(a in row.last.split() for a in unit.acronyms)  # "…/B-JH/SLCH"
    ):
        total -= PENALTY_PART  # "Icahn …/Beth Israel": the named hospital is not this one
        if (
            unit.site
            and share == 0
            and any(w not in GENERIC for w in normal(unit.site).split())
            and not (row.city and normal(unit.city) == row.city)
        ):
            # the row names one hospital and the unit another site ("Prime West
            # Consortium/Desert Valley Hospital" vs "Internal Medicine/St Francis"): never
            return Pair(-CONTRADICTION, (*parts, "contradiction"))
    if unit.order is not None:
        lo, hi = unit.order
        if lo and (hi is None or lo < hi) and row.name >= lo and (hi is None or row.name < hi):
            total += W_ORDER
            parts.append("label order")
    if unit.state != state:
        total -= PENALTY_OTHER_STATE
        parts.append(f"listed in {unit.state}")
    return Pair(total, tuple(parts))
