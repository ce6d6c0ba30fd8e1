"""The signal plan's part of the JSON contract: ``signals``, ``signals_effect``, each listed
program's ``signal`` and the line that explains it, and the notes."""

from __future__ import annotations

from typing import Any

import numpy as np

from smartpick.contract import SignalOut, SignalsEffect
from smartpick.frame import FloatArray
from smartpick.model.signal_effect import CAUSAL_FRACTION, SOURCE
from smartpick.pipeline import Run

__all__ = ["program_signals", "signal_fields", "signal_line", "signal_notes", "signal_shift"]

_LABEL = {"gold": "Gold signal", "silver": "Silver signal", "signal": "Program signal"}
_HOW = {
    "published": f"this program's published signal vs no-signal rates ({SOURCE})",
    "specialty": f"the specialty's median signal effect ({SOURCE})",
    "estimated": f"estimated: pooled across the specialties that publish signal rates ({SOURCE})",
}


def program_signals(
    r: Run, role: str, count: int
) -> list[tuple[str | None, float, str, float | None]]:
    """(kind, log-odds shift, how the effect was estimated, interview chance with the signal)
    for each of a part's ``count`` listed programs, in list order (``(None, 0.0, "", None)``
    where no signal goes). The chance is the forecast's own: the shifted log-odds averaged
    over the applicant's strength, as the tracker and the odds use it."""
    ps = r.signals.for_role(role) if r.signals is not None else None
    if ps is None:
        return [(None, 0.0, "", None)] * count
    delta = ps.allocation.delta
    return [
        (None, 0.0, "", None)
        if kind is None
        else (kind, float(delta[i]), str(ps.source[i]), float(ps.p_with[i]))
        for i, kind in enumerate(ps.kinds)
    ]


def signal_line(kind: str, how: str, p_without: float, p_with: float) -> str:
    """The reason line of a signalled program: its interview chance without and with it."""
    return (
        f"{_LABEL[kind]}: interview chance {100 * p_without:.0f}% → {100 * p_with:.0f}% "
        f"(our estimate, from {_HOW[how]}; {CAUSAL_FRACTION:.0%} of the observed difference "
        "taken as the signal's effect)"
    )


def signal_shift(r: Run, role: str, count: int) -> FloatArray:
    """The log-odds shift of each of a part's listed programs (0: no signal)."""
    ps = r.signals.for_role(role) if r.signals is not None else None
    return ps.allocation.delta if ps is not None else np.zeros(count)


def signal_fields(r: Run, codes: dict[str, list[str]]) -> dict[str, Any]:
    """``signals`` and ``signals_effect`` of the PlanResult (``codes``: role -> listed codes)."""
    if r.signals is None or not r.signals.parts:
        return {"signals": [], "signals_effect": None}
    signals = [
        SignalOut(program_code=codes[ps.role][i], kind=kind)
        for ps in r.signals.parts
        for i, kind in enumerate(ps.kinds)
        if kind is not None
    ]
    effect = SignalsEffect(
        match_probability_without=r.signals.categorical_without,
        match_probability_with=r.portfolio.match_probability_categorical,
    )
    return {"signals": signals, "signals_effect": effect}


def signal_notes(r: Run) -> list[str]:
    """What the signals are, where their counts come from, and that the odds include them."""
    if r.signals is None:
        return ["Program signals: not planned (signals = false); the odds assume none."]
    notes = list(r.signals.notes)
    for ps in r.signals.parts:
        sent = sum(k is not None for k in ps.kinds)
        notes.append(
            f"{ps.specialty}: {sent} program signals placed ({ps.counts.describe()} allowed; "
            f"{ps.counts.citation}) where they raise P(match) most (docs/signals.md)."
        )
    if r.signals.parts:
        notes.append(
            "The odds above assume you send these signals: "
            f"{100 * r.signals.categorical_without:.0f}% without them, "
            f"{100 * r.portfolio.match_probability_categorical:.0f}% with them (our estimate: "
            "the published signal rates mix the signal's effect with who chooses to signal, "
            f"so we take {CAUSAL_FRACTION:.0%} of the difference, anywhere from none to all "
            "of it in the range). The list's size was chosen on the odds without them: the "
            "notes on its size quote those."
        )
    return notes
