"""Back-test of the program rate model on held-out programs (``smartpick validate``).

5-fold cross-validation over Residency Explorer programs: the whole fit (feature selection
included) is run without the fold, then predicts the fold's published rates. Per specialty and
applicant group we report the Spearman rank correlation, the calibration slope of
logit(observed) on the predicted logit (1 = calibrated; below 1 = predictions spread too
widely), and the Brier score of the predicted rate, against two baselines fitted the same way:

- **specialty mean**: the specialty's intercept alone (no program is ranked above another);
- **IMG share alone**: the intercept and the program's IMG share (FREIDA where published, our
  estimate elsewhere), the fact most tools rank programs by.

A program's *own* published rate is what the planner anchors on where it exists; it cannot be
back-tested with one season of data, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray
from smartpick.model.rates import GROUP_LABELS, mean_rate, to_logit
from smartpick.specialties import by_code

from .rates import FOLDS, RateRows, _ols, design_of, fit_groups, folds_of

__all__ = ["MIN_ROWS", "Metrics", "back_test", "reliability_svg", "render_validation"]

#: Specialty x group cells with fewer held-out programs are pooled into "other".
MIN_ROWS = 30
_PI8 = np.pi / 8.0


@dataclass(frozen=True)
class Metrics:
    """Held-out accuracy of one predictor on one cell."""

    spearman: float
    slope: float
    brier: float
    mean_observed: float
    mean_predicted: float


def _spearman(a: FloatArray, b: FloatArray) -> float:
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0  # a constant prediction ranks nothing
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def _slope(y: FloatArray, f: FloatArray) -> float:
    if np.ptp(f) == 0:
        return float("nan")
    fc = f - f.mean()
    return float(fc @ (y - y.mean()) / (fc @ fc))


def _mean_rate(f: FloatArray, var: float) -> FloatArray:
    return mean_rate(f, np.sqrt(var))


def _metrics(r: FloatArray, f: FloatArray, var: float) -> Metrics:
    y = to_logit(r)
    pred = _mean_rate(f, var)
    return Metrics(
        spearman=_spearman(r, f),
        slope=_slope(y, f),
        brier=float(np.mean((r - pred) ** 2)),
        mean_observed=float(r.mean()),
        mean_predicted=float(pred.mean()),
    )


def _take(rows: RateRows, mask: npt.NDArray[np.bool_]) -> RateRows:
    return RateRows(
        specialty=rows.specialty[mask],
        row=rows.row[mask],
        name=rows.name[mask],
        x=rows.x[mask],
        share_published=rows.share_published[mask],
        rates={g: v[mask] for g, v in rows.rates.items()},
    )


Predictions = dict[str, tuple[FloatArray, float]]


def _heldout(rows: RateRows, groups: tuple[str, ...], seed: int) -> dict[str, Predictions]:
    """Held-out logit predictions per group and predictor, and the fold fits' program variance.

    Each fold runs the whole fit (:func:`.rates.fit_groups`: selection, coefficients,
    reliability) once on the other folds, for every group; the predicted rate uses the fit's
    own program sd, as the planner does. The baselines are refitted on the same folds.
    """
    folds = folds_of(rows.row, seed=seed)
    names = ("model", "specialty mean", "IMG share alone")
    out = {g: {k: np.full(len(rows), np.nan) for k in names} for g in groups}
    variances: dict[str, list[float]] = {g: [] for g in groups}
    spec = rows.specialty
    for k in range(FOLDS):
        fits = fit_groups(_take(rows, folds != k), groups, seed=seed + 1 + k)
        for g in groups:
            r = rows.rates[g]
            x = design_of(rows, g)
            test = (folds == k) & np.isfinite(r)
            train = (folds != k) & np.isfinite(r)
            model = fits[g].model
            out[g]["model"][test] = model.predict(x[test], spec[test])
            variances[g].append(model.program_sd_**2)
            y = to_logit(r[train])
            for name, fs in (("specialty mean", ()), ("IMG share alone", ("img_share_logit",))):
                base = _ols(x[train], spec[train], y, fs)
                out[g][name][test] = base.predict(x[test], spec[test], base.pooled)
    result: dict[str, Predictions] = {}
    for g in groups:
        has = np.isfinite(rows.rates[g])
        var = float(np.mean(variances[g]))
        result[g] = {k: (v[has], var) for k, v in out[g].items()}
    return result


def back_test(rows: RateRows, groups: tuple[str, ...], seed: int = 0) -> dict[str, Any]:
    """Per group and specialty: held-out metrics of the model and both baselines."""
    report: dict[str, Any] = {"folds": FOLDS, "seed": seed, "groups": {}}
    heldout = _heldout(rows, groups, seed)
    for g in groups:
        r_all = rows.rates[g]
        has = np.isfinite(r_all)
        r, spec = r_all[has], rows.specialty[has]
        preds = heldout[g]
        cells: dict[str, Any] = {}
        codes = sorted(set(spec.tolist()), key=lambda c: (-int(np.sum(spec == c)), c))
        small = [c for c in codes if np.sum(spec == c) < MIN_ROWS]
        for label, sel in [
            *((c, spec == c) for c in codes if c not in small),
            *([("other", np.isin(spec, small))] if small else []),
            ("all", np.ones(len(r), dtype=bool)),
        ]:
            metrics = {k: _metrics(r[sel], f[sel], var).__dict__ for k, (f, var) in preds.items()}
            # the specialty mean ranks no program above another: its rank correlation is 0 by
            # construction (pooling folds would give it a spurious, negative one: a fold's
            # training intercept moves against the fold's own mean)
            if label not in ("all", "other"):
                metrics["specialty mean"]["spearman"] = 0.0
            cells[label] = {
                "name": label if label in ("all", "other") else by_code(label).name,
                "n": int(sel.sum()),
                **metrics,
            }
        f, var = preds["model"]
        report["groups"][g] = {
            "cells": cells,
            "reliability": _bins(r, _mean_rate(f, var)),
        }
    return report


def _bins(r: FloatArray, pred: FloatArray, k: int = 10) -> list[dict[str, float]]:
    """Reliability diagram: programs in k equal-count bins of predicted rate."""
    order = np.argsort(pred, kind="stable")
    out = []
    for chunk in np.array_split(order, k):
        if len(chunk):
            out.append(
                {
                    "n": len(chunk),
                    "predicted": float(pred[chunk].mean()),
                    "observed": float(r[chunk].mean()),
                }
            )
    return out


def reliability_svg(report: dict[str, Any], groups: tuple[str, ...]) -> str:
    """The reliability diagram (mean observed vs mean predicted rate per bin) as SVG text."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "smartpick"
    fig, ax = plt.subplots(figsize=(5, 5))
    top = 0.0
    for g in groups:
        b = report["groups"][g]["reliability"]
        xs = [c["predicted"] for c in b]
        ys = [c["observed"] for c in b]
        top = max(top, *xs, *ys)
        ax.plot(xs, ys, marker="o", label=GROUP_LABELS.get(g, g))
    ax.plot([0, top * 1.05], [0, top * 1.05], color="grey", linestyle="--", label="calibrated")
    ax.set_xlabel("predicted interview rate (held-out programs)")
    ax.set_ylabel("published interview rate (AAMC Residency Explorer, 2024)")
    ax.set_title("Reliability of the program rate model (5-fold)")
    ax.legend()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buf.getvalue()


def _f(v: float, pct: bool = False) -> str:
    if v != v:
        return "n/a"
    return f"{100 * v:.1f}%" if pct else f"{v:.2f}"


def render_validation(report: dict[str, Any]) -> str:
    """Markdown of the back-test report."""
    lines = [
        "# Validation: the program rate model on held-out programs",
        "",
        "Generated by `smartpick validate` (do not edit by hand). Data: AAMC Residency "
        "Explorer, 2024 Match (via datadoc1/signal-analysis), linked to the NRMP 2026 "
        "catalog. "
        f"{report['folds']}-fold cross-validation over programs, seed {report['seed']}: the "
        "whole fit, feature selection included, runs without the fold and predicts it.",
        "",
        "- **Spearman**: rank correlation of predicted and published rates within the cell "
        "(a constant prediction ranks nothing: 0).",
        "- **slope**: calibration slope of logit(published) on the predicted logit; 1 is "
        "calibrated, below 1 means predictions spread too widely.",
        "- **Brier**: mean squared error of the predicted rate.",
        "- Baselines: *specialty mean* (intercept only) and *IMG share alone* (intercept + "
        "the program's IMG share: FREIDA where published, our estimate elsewhere).",
        "",
        "Where a program published its own rate for the applicant's group, the planner "
        "anchors on that rate (shrunk by its reliability, `docs/model.md`); with one season "
        "of data that route cannot be back-tested here.",
        "",
        "![reliability diagram](validation.svg)",
        "",
    ]
    for g, data in report["groups"].items():
        lines += [
            f"## {GROUP_LABELS.get(g, g)} applicants",
            "",
            "| specialty | programs | Spearman (model / mean / IMG share) | slope (model / "
            "IMG share) | Brier (model / mean / IMG share) | mean published | mean predicted |",
            "|---|---:|---|---|---|---:|---:|",
        ]
        for cell in data["cells"].values():
            m, b0, b1 = cell["model"], cell["specialty mean"], cell["IMG share alone"]
            lines.append(
                f"| {cell['name']} | {cell['n']} | {_f(m['spearman'])} / "
                f"{_f(b0['spearman'])} / {_f(b1['spearman'])} | {_f(m['slope'])} / "
                f"{_f(b1['slope'])} | {m['brier']:.4f} / {b0['brier']:.4f} / "
                f"{b1['brier']:.4f} | {_f(m['mean_observed'], True)} | "
                f"{_f(m['mean_predicted'], True)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
