"""The plan's curve as an inline SVG chart, drawn on the server (no chart library, no network).

P(match) (left axis) and ERAS cost (right axis) against the number of applications, with the
recommended point marked and, when given, the target probability and the budget.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from markupsafe import Markup, escape

from smartpick.contract import CurvePoint

__all__ = ["curve_svg"]

W, H = 640, 330
LEFT, RIGHT, TOP, BOTTOM = 56, 70, 34, 46


def _nice_max(value: float) -> float:
    """A round axis maximum at or above value."""
    if value <= 0:
        return 1.0
    exp = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return float(step * exp)
    return float(10 * exp)


def _pts(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


def curve_svg(
    curve: Sequence[CurvePoint],
    recommended: int,
    *,
    target: float | None = None,
    budget: float | None = None,
) -> Markup:
    """An accessible SVG chart of the curve (empty string when there is no curve)."""
    if not curve:
        return Markup("")
    apps = np.array([p.applications for p in curve], dtype=float)
    prob = np.clip(np.array([p.match_probability for p in curve], dtype=float), 0, 1)
    cost = np.array([p.cost_usd for p in curve], dtype=float)
    order = np.argsort(apps, kind="stable")
    apps, prob, cost = apps[order], prob[order], cost[order]

    x_lo, x_hi = float(apps.min()), float(apps.max())
    x_hi = x_hi if x_hi > x_lo else x_lo + 1
    c_hi = _nice_max(max(float(cost.max()), float(budget or 0)))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def sx(v: np.ndarray | float) -> np.ndarray:
        return LEFT + (np.asarray(v, dtype=float) - x_lo) / (x_hi - x_lo) * pw

    def sy_p(v: np.ndarray | float) -> np.ndarray:
        return TOP + (1 - np.asarray(v, dtype=float)) * ph

    def sy_c(v: np.ndarray | float) -> np.ndarray:
        return TOP + (1 - np.asarray(v, dtype=float) / c_hi) * ph

    rec_i = int(np.argmin(np.abs(apps - recommended)))
    rx, rp, rc = float(apps[rec_i]), float(prob[rec_i]), float(cost[rec_i])
    title = (
        f"Chance of matching and ERAS cost by number of applications; recommended "
        f"{int(rx)} applications: {rp:.0%} for ${rc:,.0f}"
    )
    parts: list[str] = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" >',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    # grid and axes
    for frac in np.linspace(0, 1, 5):
        y = float(sy_p(frac))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{frac:.0%}</text>'
        )
        parts.append(
            f'<text class="tick cost" x="{W - RIGHT + 6}" y="{y + 4:.1f}">'
            f"${c_hi * frac:,.0f}</text>"
        )
    for xv in np.unique(np.round(np.linspace(x_lo, x_hi, 6))):
        x = float(sx(xv))
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">'
            f"{int(xv)}</text>"
        )
    parts.append(
        f'<text class="axis-label" x="{LEFT + pw / 2:.1f}" y="{H - 8}" text-anchor="middle">'
        "Number of applications</text>"
    )
    parts.append(f'<text class="axis-label" x="{LEFT - 6}" y="{TOP - 14}">P(match)</text>')
    parts.append(
        f'<text class="axis-label cost" x="{W - 4}" y="{TOP - 14}" text-anchor="end">'
        "ERAS cost</text>"
    )
    if target is not None and 0 < target < 1:
        y = float(sy_p(target))
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="note" x="{LEFT + 4}" y="{y - 4:.1f}">target {target:.0%}</text>'
        )
    if budget is not None and 0 < budget <= c_hi:
        y = float(sy_c(budget))
        parts.append(
            f'<line class="budget" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="note cost" x="{W - RIGHT - 4}" y="{y - 4:.1f}" text-anchor="end">'
            f"budget ${budget:,.0f}</text>"
        )
    parts.append(f'<polyline class="line-cost" points="{_pts(sx(apps), sy_c(cost))}"/>')
    parts.append(f'<polyline class="line-p" points="{_pts(sx(apps), sy_p(prob))}"/>')
    x = float(sx(rx))
    anchor = "end" if x > LEFT + pw * 0.6 else "start"
    dx = -6 if anchor == "end" else 6
    parts.append(
        f'<g class="recommended"><line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + ph}"/>'
        f'<circle cx="{x:.1f}" cy="{float(sy_p(rp)):.1f}" r="5"/>'
        f'<circle class="cost" cx="{x:.1f}" cy="{float(sy_c(rc)):.1f}" r="4"/>'
        f'<text x="{x + dx:.1f}" y="{float(sy_p(rp)) + 18:.1f}" text-anchor="{anchor}">'
        f"recommended: {int(rx)} · {rp:.0%} · ${rc:,.0f}</text></g>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
