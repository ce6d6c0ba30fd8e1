"""The signal plan's part of the JSON contract: ``signals``, ``signals_effect``, each listed
program's ``signal`` and the line that explains it, and the notes."""

from __future__ import annotations

from typing import Any

import numpy as np

from smartpick.contract import SignalOut, SignalsEffect
from smartpick.frame import FloatArray
from smartpick.model.signal_effect import CAUSAL_FRACTION, SOURCE
from smartpick.pipeline import Run

__all__ = ["program_signals", "signal_fields", "signal_notes", "signal_shift"]

_LABEL = {"gold": "Gold signal", "silver": "Silver signal", "signal": "Program signal"}
_HOW = {
    "published": f"this program's published signal vs no-signal rates ({SOURCE})",
    "specialty": f"the specialty's median signal effect ({SOURCE})",
    "estimated": f"estimated: pooled across the specialties that publish signal rates ({SOURCE})",
}


def program_signals(r: Run, role: str, count: int) -> list[tuple[str | None, str | None]]:
    """(kind, reason line) for each of a part's ``count`` listed programs."""
    ps = r.signals.for_role(role) if r.signals is not None else None
    if ps is None:
        return [(None, None)] * count
    out: list[tuple[str | None, str | None]] = []
    for i, kind in enumerate(ps.kinds):
        if kind is None:
            out.append((None, None))
            continue
        line = (
            f"{_LABEL[kind]}: interview chance {100 * ps.p_without[i]:.0f}% → "
            f"{100 * ps.p_with[i]:.0f}% (our estimate, from {_HOW[str(ps.source[i])]}; "
            f"{CAUSAL_FRACTION:.0%} of the observed difference taken as the signal's effect)"
        )
        out.append((kind, line))
    return out


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
        match_probability_without=r.signals.without.match_probability_categorical,
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
            f"{100 * r.signals.without.match_probability_categorical:.0f}% without them, "
            f"{100 * r.portfolio.match_probability_categorical:.0f}% with them (our estimate: "
            "the published signal rates mix the signal's effect with who chooses to signal, "
            f"so we take {CAUSAL_FRACTION:.0%} of the difference, anywhere from none to all "
            "of it in the range)."
        )
    return notes
