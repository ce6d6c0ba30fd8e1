"""`smartpick calibrate`: refit the model to the published figures and write the report."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from smartpick.catalog.store import Catalog
from smartpick.frame import ProgramFrame
from smartpick.model.params import frames_digest
from smartpick.specialties import SPECIALTIES

from .context import State

__all__ = ["calibration_frames", "register"]

#: Tracks loaded per specialty (categorical-like tracks and PGY-1-only positions).
TRACKS = ("C", "M", "A", "R", "P")


def calibration_frames(catalog: Catalog) -> dict[str, ProgramFrame]:
    """Every specialty with a published figure to fit: Charting Outcomes or 2025 track rows."""
    out: dict[str, ProgramFrame] = {}
    for spec in SPECIALTIES:
        if not (spec.charting_outcomes or spec.tracks_2025):
            continue
        frame = catalog.frame(spec.code, TRACKS)
        if len(frame):
            out[spec.code] = frame
    return out


def register(app: typer.Typer) -> None:
    """Add `calibrate` to the app."""

    @app.command()
    def calibrate(
        ctx: typer.Context,
        seed: Annotated[int, typer.Option(help="Seed of every random draw of the fit.")] = 0,
        params_out: Annotated[
            Path | None,
            typer.Option(
                "--params-out",
                help="Where to write params.json (default: the package's model/params.json).",
            ),
        ] = None,
        docs: Annotated[
            Path, typer.Option(help="Folder for calibration.md and calibration.json.")
        ] = Path("docs"),
        json_out: Annotated[
            bool, typer.Option("--json", help="Print the report's JSON instead of a summary.")
        ] = False,
    ) -> None:
        """Refit every model parameter to the published figures and write the report.

        Writes model/params.json, docs/calibration.md and docs/calibration.json.

        Example: smartpick calibrate --seed 0 --docs docs
        """
        from smartpick.model import calibration

        state: State = ctx.obj or State()
        console = Console(stderr=True)
        catalog = Catalog.open(state.db)
        frames = calibration_frames(catalog)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("calibrating", total=None)

            def progress(msg: str) -> None:
                bar.update(task, description=msg, advance=1)

            params, report = calibration.fit(frames, seed=seed, progress=progress)
        params = dataclasses.replace(params, fitted_on=frames_digest(frames))
        md, data = calibration.render_report(report)
        target = params_out or Path(calibration.__file__).with_name("params.json")
        target.write_text(json.dumps(params.to_json(), indent=1) + "\n", encoding="utf-8")
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "calibration.md").write_text(md, encoding="utf-8")
        (docs / "calibration.json").write_text(
            json.dumps(data, indent=1, default=float) + "\n", encoding="utf-8"
        )
        if json_out:
            typer.echo(json.dumps(data, indent=1, default=float))
            return
        n_pass = sum(1 for t in data["targets"] if t["passed"])
        typer.echo(
            f"fitted in {report.seconds:.1f} s: {n_pass} of {len(data['targets'])} targets "
            f"within tolerance; wrote {target}, {docs / 'calibration.md'}, "
            f"{docs / 'calibration.json'}"
        )
