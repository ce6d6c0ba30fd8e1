"""What a program signal does to a program's interview chance (log-odds), per program and kind.

The AAMC Residency Explorer (2024 Match) publishes, for the specialties that used signals, the
share of applicants invited among those who signalled the program (``ir_signal``, or
``ir_gold_signal`` / ``ir_silver_signal``) and among those who did not (``ir_no_signal``). On the
log-odds scale the observed difference of a program is ``d = logit(r_signal) - logit(r_no)``
(a published 0 or 1 read ``FLOOR`` from the bound, as in :mod:`.rates`). Three levels:

- **published**: the program's own ``d``, shrunk toward its specialty's median by the
  reliability ``w`` of a published US-IMG rate in that specialty (the rate model's
  parallel-forms reliability, ``model/rates.json``; the file has no applicant counts, and the
  group that signals a program is small, like its US-IMG applicants): ``pool + w (d - pool)``;
- **specialty**: the median ``d`` of the specialty's programs (at least ``MIN_PROGRAMS``);
- **estimated**: the mean of every signalling specialty's median (one-kind specialties for a
  ``signal``, gold / silver specialties for ``gold`` and ``silver``), with the spread across
  specialties as its uncertainty. Internal Medicine, Psychiatry and Neurology publish no
  signal rates in this file, so their effects are of this kind.

**Selection is not effect.** Applicants who signal a program often fit it better, so part of
``d`` is selection; this file cannot separate the two. We take ``CAUSAL_FRACTION`` (one half)
of ``d`` as the signal's effect, with the fraction uncertain over [0, 1] (the range draws it
uniformly): our assumption, stated in ``docs/signals.md``, not fitted and never tuned. A
program whose shrunk difference is below 0 (fewer invitations with a signal: noise, or a
program that ignores signals) is taken at 0: a signal never lowers a chance.

Profile-independent: computed once per frame (:func:`signal_effects` caches it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from smartpick.datafiles import explorer_rows
from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.memo import frame_key, persisted

from .rates import FLOOR, load_rate_model, to_logit

__all__ = [
    "CAUSAL_FRACTION",
    "KINDS",
    "MIN_PROGRAMS",
    "SOURCE",
    "PooledEffect",
    "SignalEffects",
    "pooled_effects",
    "signal_effects",
]

#: Kinds of signal, in the order of every (n, 3) array here.
KINDS: tuple[str, ...] = ("gold", "silver", "signal")
#: Share of the observed log-odds difference taken as the signal's effect (our assumption).
CAUSAL_FRACTION = 0.5
#: Programs a specialty needs for its own median.
MIN_PROGRAMS = 10
SOURCE = "AAMC Residency Explorer, 2024 Match, via datadoc1/signal-analysis"
_COLUMN = {"gold": "ir_gold_signal", "silver": "ir_silver_signal", "signal": "ir_signal"}


def _difference(rate: npt.ArrayLike, no_signal: npt.ArrayLike) -> FloatArray:
    """logit(rate) - logit(no_signal), nan where either is unknown."""
    r = np.asarray(rate, dtype=np.float64)
    n = np.asarray(no_signal, dtype=np.float64)
    ok = np.isfinite(r) & np.isfinite(n)
    d = to_logit(np.where(ok, r, 0.5), FLOOR) - to_logit(np.where(ok, n, 0.5), FLOOR)
    return np.where(ok, d, np.nan)


@dataclass(frozen=True)
class PooledEffect:
    """One kind's observed log-odds difference pooled across the specialties that publish it."""

    kind: str
    log_odds: float  # mean of the specialties' medians
    sd: float  # spread of a program's difference around it (between + within specialties)
    specialties: tuple[str, ...]  # the Explorer's specialty names behind it
    n_programs: int


@cache
@persisted("pooled_effects", lambda: ())
def pooled_effects() -> dict[str, PooledEffect]:
    """Every kind's effect pooled across specialties (from the whole Explorer file)."""
    diffs: dict[str, dict[str, list[float]]] = {k: defaultdict(list) for k in KINDS}
    rows = explorer_rows()
    specialty = [row.specialty for row in rows]
    no_signal = np.array([row.ir_no_signal or np.nan for row in rows], dtype=np.float64)
    for kind, col in _COLUMN.items():
        rate = np.array([getattr(row, col) or np.nan for row in rows], dtype=np.float64)
        d = _difference(rate, no_signal)  # one array call for every row (a published 0: unknown)
        for i in np.flatnonzero(np.isfinite(d)).tolist():
            diffs[kind][specialty[i]].append(float(d[i]))
    out: dict[str, PooledEffect] = {}
    for kind, by_spec in diffs.items():
        kept = {s: np.asarray(v) for s, v in sorted(by_spec.items()) if len(v) >= MIN_PROGRAMS}
        medians = np.array([np.median(v) for v in kept.values()])
        within = np.array([np.var(v) for v in kept.values()])
        out[kind] = PooledEffect(
            kind=kind,
            log_odds=float(medians.mean()),
            sd=float(np.sqrt(medians.var() + within.mean())),
            specialties=tuple(kept),
            n_programs=int(sum(len(v) for v in kept.values())),
        )
    return out


@dataclass(frozen=True, eq=False)
class SignalEffects:
    """Each program's signal effect per kind (columns in :data:`KINDS` order)."""

    observed: FloatArray  # (n, 3) observed log-odds difference after shrinkage, >= 0
    log_odds: FloatArray  # (n, 3) effect taken: CAUSAL_FRACTION x observed
    sd: FloatArray  # (n, 3) remaining sd of the observed difference
    source: ObjArray  # (n, 3) "published" | "specialty" | "estimated"

    def __len__(self) -> int:
        return len(self.observed)

    def take(self, index: npt.ArrayLike) -> SignalEffects:
        """The effects of the programs ``index``."""
        idx = np.asarray(index, dtype=np.int64)
        return SignalEffects(self.observed[idx], self.log_odds[idx], self.sd[idx], self.source[idx])


def signal_effects(frame: ProgramFrame) -> SignalEffects:
    """The signal effects of every program of ``frame`` (cached per frame)."""
    return _signal_effects(frame)


def _one_program_per_row(frame: ProgramFrame, sel: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Indices of ``sel`` keeping one track per Residency Explorer row (tracks share a row)."""
    idx = np.flatnonzero(sel)
    _, first = np.unique(frame.explorer_row[idx], return_index=True)
    return idx[np.sort(first)]


@lru_cache(maxsize=256)
@persisted("signal_effects", frame_key)
def _signal_effects(frame: ProgramFrame) -> SignalEffects:
    n = len(frame)
    pooled = pooled_effects()
    rel = load_rate_model().groups["us_img"]
    w = rel.reliability(frame.specialty_code) if n else np.zeros(0)
    observed = np.empty((n, len(KINDS)))
    sd = np.empty((n, len(KINDS)))
    source = np.empty((n, len(KINDS)), dtype=object)
    codes = frame.specialty_code.astype(str)
    for c, kind in enumerate(KINDS):
        d = _difference(getattr(frame, _COLUMN[kind]), frame.ir_no_signal)
        est = pooled[kind]
        observed[:, c], sd[:, c], source[:, c] = est.log_odds, est.sd, "estimated"
        for code in np.unique(codes).tolist():
            in_spec = codes == code
            has = np.isfinite(d) & in_spec & (frame.explorer_row >= 0)
            rows = _one_program_per_row(frame, has)
            if len(rows) < MIN_PROGRAMS:
                continue
            pool, spread = float(np.median(d[rows])), float(np.std(d[rows]))
            observed[in_spec, c], sd[in_spec, c], source[in_spec, c] = pool, spread, "specialty"
            own = has
            observed[own, c] = pool + w[own] * (d[own] - pool)
            sd[own, c] = np.sqrt(1.0 - w[own]) * spread
            source[own, c] = "published"
    # a program that reported fewer invitations with a signal than without: read as noise
    observed = np.maximum(observed, 0.0)
    return SignalEffects(observed, CAUSAL_FRACTION * observed, sd, source)
