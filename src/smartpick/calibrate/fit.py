"""One entry point for fitting and one for validation (the CLI only calls these)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.frame import ProgramFrame
from smartpick.model.params import ModelParams, frames_digest
from smartpick.model.rates import APPLICANT_GROUPS, RateModel

from .consistency import population_check
from .rates import RateFit, fit_rates
from .validate import back_test, reliability_svg, render_validation

__all__ = ["FitResult", "Validation", "fit_all", "fit_rate_model", "validate"]

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"


@dataclass(frozen=True)
class FitResult:
    """Everything a fit produces: parameters, rate model, report, provenance."""

    params: ModelParams
    rates: RateFit
    report_markdown: str
    report_json: dict[str, Any]
    fitted_on: str  # digest of the program facts the fit saw

    def write(self, model_dir: Path, docs: Path) -> list[Path]:
        """Write params.json, rates.json, calibration.md / .json; return the paths."""
        model_dir.mkdir(parents=True, exist_ok=True)
        docs.mkdir(parents=True, exist_ok=True)
        out = [
            model_dir / "params.json",
            model_dir / "rates.json",
            docs / "calibration.md",
            docs / "calibration.json",
        ]
        out[0].write_text(json.dumps(self.params.to_json(), indent=1) + "\n", encoding="utf-8")
        write_rates(self.rates.model, out[1])
        out[2].write_text(self.report_markdown, encoding="utf-8")
        out[3].write_text(
            json.dumps(self.report_json, indent=1, default=float) + "\n", encoding="utf-8"
        )
        return out


def write_rates(model: RateModel, path: Path) -> None:
    """Write a rate model as JSON."""
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")


def fit_rate_model(
    frames: Mapping[str, ProgramFrame],
    params: ModelParams,
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> RateFit:
    """Fit only the program rate model (fast; params.json unchanged)."""
    fit = fit_rates(frames, params, seed=seed, progress=progress)
    model = dataclasses.replace(fit.model, fitted_on=frames_digest(frames))
    return dataclasses.replace(fit, model=model)


def fit_all(
    frames: Mapping[str, ProgramFrame],
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> FitResult:
    """Fit every parameter to the published figures, then the rate model on top."""
    from smartpick.calibrate import calibration as calibration

    params, report = calibration.fit(frames, seed=seed, progress=progress or (lambda _: None))
    digest = frames_digest(frames)
    params = dataclasses.replace(params, fitted_on=digest)
    md, data = calibration.render_report(report)
    rates = fit_rate_model(frames, params, seed=seed, progress=progress)
    return FitResult(params, rates, md, data, digest)


@dataclass(frozen=True)
class Validation:
    """The back-test and the population check, rendered."""

    markdown: str
    data: dict[str, Any]
    svg: str

    def write(self, docs: Path) -> list[Path]:
        """Write validation.md / .json / .svg into ``docs``."""
        docs.mkdir(parents=True, exist_ok=True)
        out = [docs / "validation.md", docs / "validation.json", docs / "validation.svg"]
        out[0].write_text(self.markdown, encoding="utf-8")
        out[1].write_text(json.dumps(self.data, indent=1) + "\n", encoding="utf-8")
        out[2].write_text(self.svg, encoding="utf-8")
        return out


def validate(
    frames: Mapping[str, ProgramFrame],
    params: ModelParams,
    rate_model: RateModel,
    *,
    seed: int = 0,
) -> Validation:
    """Back-test the rate model on held-out programs and check the population's match rates."""
    from .consistency import render_population
    from .rates import rate_rows

    rows = rate_rows(frames, params)
    groups = tuple(APPLICANT_GROUPS)
    data = back_test(rows, groups, seed=seed)
    data["population"] = population_check(frames, params, rate_model)
    md = render_validation(data) + render_population(data["population"])
    return Validation(md, _rounded(data), reliability_svg(data, ("us_img", "non_us_img")))


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 5) if obj == obj else None
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_rounded(v) for v in obj]
    return obj
