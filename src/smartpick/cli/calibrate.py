"""`smartpick calibrate`: refit the model to the published figures and write the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from .context import State
from .progress import progress_steps, status

if TYPE_CHECKING:  # imported by the commands that use them (the CLI's --help stays fast)
    from smartpick.catalog.store import Catalog
    from smartpick.frame import ProgramFrame

__all__ = ["calibration_frames", "register"]

#: Tracks loaded per specialty (categorical-like tracks and PGY-1-only positions).
TRACKS = ("C", "M", "A", "R", "P")


def calibration_frames(catalog: Catalog) -> dict[str, ProgramFrame]:
    """Every specialty with a published figure to fit: Charting Outcomes or 2025 track rows."""
    from smartpick.specialties import SPECIALTIES

    out: dict[str, ProgramFrame] = {}
    for spec in SPECIALTIES:
        if not (spec.charting_outcomes or spec.tracks_2025):
            continue
        frame = catalog.frame(spec.code, TRACKS)
        if len(frame):
            out[spec.code] = frame
    return out


def register(app: typer.Typer) -> None:
    """Add `calibrate` and `validate` to the app."""

    @app.command()
    def calibrate(
        ctx: typer.Context,
        seed: Annotated[int, typer.Option(help="Seed of every random draw of the fit.")] = 0,
        model_dir: Annotated[
            Path | None,
            typer.Option(
                "--model-dir",
                help="Where to write params.json and rates.json (default: the package's model/).",
            ),
        ] = None,
        docs: Annotated[
            Path, typer.Option(help="Folder for calibration.md and calibration.json.")
        ] = Path("docs"),
        rates_only: Annotated[
            bool,
            typer.Option(
                "--rates-only",
                help="Refit only the program rate model (rates.json); params.json unchanged.",
            ),
        ] = False,
        json_out: Annotated[
            bool, typer.Option("--json", help="Print the report's JSON instead of a summary.")
        ] = False,
    ) -> None:
        """Refit the model to the published figures and write the calibration report.

        Writes model/params.json, model/rates.json, docs/calibration.md and
        docs/calibration.json (with --rates-only: model/rates.json alone).

        Example: smartpick calibrate --seed 0 --docs docs
        """
        from smartpick.calibrate import fit as fitting
        from smartpick.catalog.store import Catalog
        from smartpick.model.params import load_params

        state: State = ctx.obj or State()
        console = Console(stderr=True)
        catalog = Catalog.open(state.db)
        frames = calibration_frames(catalog)
        target = model_dir or fitting.MODEL_DIR
        with progress_steps(console, "calibrating") as step:

            def progress(msg: str) -> None:
                step(msg, None)

            if rates_only:
                rates = fitting.fit_rate_model(frames, load_params(), seed=seed, progress=progress)
                target.mkdir(parents=True, exist_ok=True)
                fitting.write_rates(rates.model, target / "rates.json")
                typer.echo(f"wrote {target / 'rates.json'}")
                return
            result = fitting.fit_all(frames, seed=seed, progress=progress)
        paths = result.write(target, docs)
        data = result.report_json
        if json_out:
            typer.echo(json.dumps(data, indent=1, default=float))
            return
        n_pass = sum(1 for t in data["targets"] if t["passed"])
        typer.echo(
            f"{n_pass} of {len(data['targets'])} targets within tolerance; wrote "
            + ", ".join(str(p) for p in paths)
        )

    @app.command()
    def validate(
        ctx: typer.Context,
        seed: Annotated[int, typer.Option(help="Seed of the cross-validation folds.")] = 0,
        docs: Annotated[
            Path, typer.Option(help="Folder for validation.md, .json and .svg.")
        ] = Path("docs"),
        json_out: Annotated[
            bool, typer.Option("--json", help="Print the report's JSON instead of a summary.")
        ] = False,
    ) -> None:
        """Back-test the program rate model on held-out programs; check population match rates.

        Writes docs/validation.md, docs/validation.json and docs/validation.svg (a reliability
        diagram). Deterministic: the same catalog and seed give the same files.

        Example: smartpick validate --docs docs
        """
        from smartpick.calibrate import fit as fitting
        from smartpick.catalog.store import Catalog
        from smartpick.model.params import load_params
        from smartpick.model.rates import load_rate_model

        state: State = ctx.obj or State()
        with status(Console(stderr=True), "validating on held-out programs…"):
            frames = calibration_frames(Catalog.open(state.db))
            result = fitting.validate(frames, load_params(), load_rate_model(), seed=seed)
        paths = result.write(docs)
        if json_out:
            typer.echo(json.dumps(result.data, indent=1))
            return
        cells = result.data["groups"]["us_img"]["cells"]
        summary = ", ".join(
            f"{c['name']} Spearman {c['model']['spearman']:.2f} slope {c['model']['slope']:.2f}"
            for k, c in cells.items()
            if k in ("140", "120", "all")
        )
        typer.echo(f"US IMG held-out: {summary}; wrote " + ", ".join(str(p) for p in paths))
