"""The listed programs' part of the JSON contract: one :class:`~smartpick.contract.ProgramOut`'s
fields per program, built column by column for a part's list (:func:`part_programs`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from smartpick.assemble_notes import program_visa_status, visa_statuses
from smartpick.assemble_signals import signal_line
from smartpick.frame import TRACKS, FlagArray, FloatArray, IntArray, ObjArray
from smartpick.model.reasons import reasons, reasons_for
from smartpick.pipeline import PartResult
from smartpick.plan.forecast import INTERVAL
from smartpick.profile import Profile

__all__ = [
    "MODEL_SOURCE",
    "NO_SIGNAL",
    "Signal",
    "chance_bands",
    "column_percentiles",
    "part_programs",
    "program_fields",
]

MODEL_SOURCE = "SmartPick model, calibrated to NRMP 2025-2026 figures (docs/calibration.md)"
_ESTIMATED = f"IMG share: our estimate ({MODEL_SOURCE})"

#: A listed program's signal: (kind, log-odds shift, how the effect was estimated, interview
#: chance with it); :data:`NO_SIGNAL` where none goes.
Signal = tuple[str | None, float, str, float | None]
NO_SIGNAL: Signal = (None, 0.0, "", None)

#: Frame columns written as strings, and those written as they are (``tolist``'s values).
_STR_COLUMNS = ("program_code", "name", "institution", "specialty")
_COLUMNS = (
    "acgme_id",
    "institution_verified",
    "city",
    "state",
    "region",
    "positions",
    "setting",
    "sources",
)


def _flag(v: Any) -> bool | None:
    return None if int(v) < 0 else bool(v)


def _num(v: Any) -> float | None:
    x = float(v)
    return None if np.isnan(x) else x


def _nums(v: FloatArray) -> list[float | None]:
    """:func:`_num` of each value."""
    return [None if x != x else x for x in v.tolist()]


def _flags(v: FlagArray) -> list[bool | None]:
    """:func:`_flag` of each value."""
    return [None if x < 0 else bool(x) for x in v.tolist()]


def _shifted(p: float, shift: float) -> float:
    """``p`` with its log-odds moved by ``shift`` (``p`` itself when the shift is 0)."""
    if shift == 0.0 or p <= 0.0 or p >= 1.0:
        return p
    return float(1.0 / (1.0 + (1.0 - p) / p * np.exp(-shift)))


def chance_bands(res: PartResult, rows: IntArray) -> tuple[FloatArray, FloatArray] | None:
    """The interview chance's range (:data:`~smartpick.plan.forecast.INTERVAL` percentiles over
    the parameter draws) at the frame's ``rows``; None without draws or rows."""
    est = res.estimate
    if not (est.eta_draws.size and len(rows)):
        return None
    lo, hi = column_percentiles(est.p_draws_at(rows), INTERVAL)
    return lo, hi


def column_percentiles(a: FloatArray, qs: Sequence[float]) -> list[FloatArray]:
    """``list(np.percentile(a, qs, axis=0))`` for a 2-D ``a`` with rows (its default, linear
    method), value for value, without its general machinery: one sort of the columns, then
    each percentile's two order statistics interpolated as NumPy does (from the lower one
    below the halfway point, from the upper one at or above it); a column with a NaN gives
    NaN. The tests check it against ``np.percentile``."""
    n = a.shape[0]
    ordered = np.sort(a, axis=0)  # NaN sorts last
    nan = np.isnan(ordered[-1])
    out = []
    for q in qs:
        virtual = (n - 1) * (q / 100.0)  # NumPy's (virtual) index of the linear method
        below = float(np.floor(virtual))
        i = min(int(below), n - 1)
        lo, hi = ordered[i], ordered[min(i + 1, n - 1)]
        gamma = virtual - below
        diff = hi - lo
        v = hi - diff * (1.0 - gamma) if gamma >= 0.5 else lo + diff * gamma
        out.append(np.where(nan, np.nan, v) if nan.any() else v)
    return out


def program_fields(
    res: PartResult,
    fi: int,
    tier: str,
    profile: Profile,
    band: tuple[float, float] | None,
    median_positions: float,
    signal: Signal = NO_SIGNAL,
) -> dict[str, Any]:
    """The fields of one listed program's :class:`ProgramOut` (the test oracle of
    :func:`part_programs`, which gives the same for a part's whole list).

    A signalled program's interview chance is the one with the signal (the forecast's); its
    range's ends are the draws' percentiles with the log-odds shifted by the signal's effect
    (a monotone map, so the ends map to the ends).
    """
    f, est = res.frame, res.estimate
    kind, shift, how, p_with = signal
    lo, hi = band if band is not None else (None, None)
    p = float(est.p[fi])
    p_shown = p if p_with is None else p_with
    src = est.img_share_source[fi]
    share = _num(est.img_share[fi])
    sd = _num(est.img_share_sd[fi]) if src == "estimated" else None
    sources = list(f.sources[fi] or ())
    if src == "estimated":
        sources.append(_ESTIMATED)
    return dict(
        program_code=str(f.program_code[fi]),
        acgme_id=f.acgme_id[fi],
        name=str(f.name[fi]),
        institution=str(f.institution[fi]),
        institution_verified=bool(f.institution_verified[fi]),
        city=f.city[fi],
        state=f.state[fi],
        region=f.region[fi],
        specialty=str(f.specialty[fi]),
        track=TRACKS.get(str(f.track[fi]), str(f.track[fi])),
        positions=int(f.positions[fi]),
        setting=f.setting[fi],
        tier=tier,
        interview_probability=p_shown,
        interview_probability_low=None if lo is None else _shifted(lo, shift),
        interview_probability_high=None if hi is None else _shifted(hi, shift),
        img_share=share,
        img_share_source=src if share is not None else None,
        img_share_sd=sd,
        visa_j1=_flag(f.visa_j1[fi]),
        visa_h1b=_flag(f.visa_h1b[fi]),
        visa_status=program_visa_status(f, fi, profile.visa),
        signal=kind,
        interview_rate_published=_num(getattr(f, f"ir_{profile.applicant_type}")[fi]),
        reasons=[
            *reasons(est, f, fi, profile, median_positions=median_positions),
            *([signal_line(kind, how, p, p_shown)] if kind else []),
        ],
        sources=sources,
    )


def part_programs(
    res: PartResult,
    rows: IntArray,
    tiers: ObjArray | Sequence[str],
    profile: Profile,
    bands: tuple[FloatArray, FloatArray] | None,
    signals: Sequence[Signal],
) -> list[dict[str, Any]]:
    """:func:`program_fields` of a part's listed programs ``rows`` (frame rows, in list order),
    each column read once: ``tiers`` (the first ``len(rows)`` read), ``signals`` and the
    ``bands`` (low and high ends, or None) are in the same order."""
    f, est = res.frame, res.estimate
    idx = np.asarray(rows, dtype=np.intp)
    n = len(idx)

    def col(name: str) -> list[Any]:
        return getattr(f, name)[idx].tolist()  # type: ignore[no-any-return]

    code, name, inst, spec = ([str(x) for x in col(c)] for c in _STR_COLUMNS)
    track = [TRACKS.get(str(t), str(t)) for t in col("track")]
    acgme, verified, city, state, region, positions, setting, of = map(col, _COLUMNS)
    p = est.p[idx].tolist()
    src = est.img_share_source[idx].tolist()
    share, sd = _nums(est.img_share[idx]), _nums(est.img_share_sd[idx])
    lows, highs = (b.tolist() for b in bands) if bands is not None else ([None] * n,) * 2
    j1, h1b = _flags(f.visa_j1[idx]), _flags(f.visa_h1b[idx])
    visa = visa_statuses(f, idx, profile.visa)
    rate = _nums(getattr(f, f"ir_{profile.applicant_type}")[idx])
    why = reasons_for(est, f, idx, profile)
    shown = [
        p_ if with_ is None else with_ for p_, (_, _, _, with_) in zip(p, signals, strict=True)
    ]
    for lines, (kind, _, how, _), p_, s_ in zip(why, signals, p, shown, strict=True):
        if kind:
            lines.append(signal_line(kind, how, p_, s_))
    return [
        {
            "program_code": code_,
            "acgme_id": acgme_,
            "name": name_,
            "institution": inst_,
            "institution_verified": verified_,
            "city": city_,
            "state": state_,
            "region": region_,
            "specialty": spec_,
            "track": track_,
            "positions": positions_,
            "setting": setting_,
            "tier": str(tier_),
            "interview_probability": shown_,
            "interview_probability_low": None if lo is None else _shifted(lo, shift),
            "interview_probability_high": None if hi is None else _shifted(hi, shift),
            "img_share": share_,
            "img_share_source": src_ if share_ is not None else None,
            "img_share_sd": sd_ if src_ == "estimated" else None,
            "visa_j1": j1_,
            "visa_h1b": h1b_,
            "visa_status": visa_,
            "signal": kind,
            "interview_rate_published": rate_,
            "reasons": why_,
            "sources": [*(of_ or ()), _ESTIMATED] if src_ == "estimated" else list(of_ or ()),
        }
        for (
            code_,
            acgme_,
            name_,
            inst_,
            verified_,
            city_,
            state_,
            region_,
            spec_,
            track_,
            positions_,
            setting_,
            tier_,
            shown_,
            lo,
            hi,
            (kind, shift, _, _),
            share_,
            src_,
            sd_,
            j1_,
            h1b_,
            visa_,
            rate_,
            why_,
            of_,
        ) in zip(
            code,
            acgme,
            name,
            inst,
            verified,
            city,
            state,
            region,
            spec,
            track,
            positions,
            setting,
            tiers[:n],
            shown,
            lows,
            highs,
            signals,
            share,
            src,
            sd,
            j1,
            h1b,
            visa,
            rate,
            why,
            of,
            strict=True,
        )
    ]
