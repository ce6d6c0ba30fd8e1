"""How many program signals of each kind an applicant may send in a specialty and season.

From ``data/program_signals.csv`` (AAMC program signaling, ERAS 2025; AAIM for Internal
Medicine). A season not in the file uses the last season before it that is (or, before the
first, the first), and says so; a specialty not in the file has no known count, and the plan
sends it no signal rather than invent one.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.datafiles import SIGNALS_FILE, SignalCountRow, signal_count_rows

__all__ = ["SignalCounts", "signal_counts"]


@dataclass(frozen=True)
class SignalCounts:
    """Signals of each kind (``gold``, ``silver``, ``signal``) for one specialty and season."""

    specialty_code: str
    season: int  # the ERAS season planned (= the Match year)
    counts: dict[str, int]  # kind -> count (kinds the specialty does not use left out)
    source: str
    known_season: int  # the season the count was published for
    note: str | None = None

    @property
    def total(self) -> int:
        """Signals of every kind together."""
        return sum(self.counts.values())

    @property
    def citation(self) -> str:
        """Where the count comes from, and which season it was published for."""
        text = f"{self.source}, ERAS {self.known_season} season ({SIGNALS_FILE})"
        if self.known_season != self.season:
            text += (
                f"; the ERAS {self.season} count is not in our data, so the ERAS "
                f"{self.known_season} count is used: confirm it on the AAMC signaling page"
            )
        return text

    def describe(self) -> str:
        """``3 gold + 12 silver`` or ``5 signals``."""
        if "signal" in self.counts:
            return f"{self.counts['signal']} signals"
        return f"{self.counts['gold']} gold + {self.counts['silver']} silver"


def _counts(row: SignalCountRow) -> dict[str, int]:
    out = {"gold": row.gold, "silver": row.silver, "signal": row.signal}
    return {k: v for k, v in out.items() if v is not None}


def signal_counts(specialty_code: str, season: int) -> SignalCounts | None:
    """The counts for a specialty in an ERAS season (None: not known for this specialty)."""
    rows = sorted(
        (r for r in signal_count_rows() if r.specialty_code == specialty_code),
        key=lambda r: r.eras_season,
    )
    if not rows:
        return None
    earlier = [r for r in rows if r.eras_season <= season]
    row = earlier[-1] if earlier else rows[0]
    return SignalCounts(
        specialty_code=specialty_code,
        season=season,
        counts=_counts(row),
        source=row.source,
        known_season=row.eras_season,
        note=row.note,
    )
