"""`smartpick data ...`: build, import, check and reset the catalog.

``data_app`` is shared: ``data build`` lives here, ``import | check | reset`` in ``data_overlay``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from smartpick.config import resolve_db_path

from .context import State
from .progress import progress_steps

__all__ = ["data_app", "register"]

data_app = typer.Typer(
    help="Build the catalog, or import your own program facts.\n\nExample: smartpick data build",
    no_args_is_help=True,
)


@data_app.command("build")
def build(
    ctx: typer.Context,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Only build when no catalog exists yet.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Build from your own copies of the source CSV files (same names and columns).",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the build report as JSON.")
    ] = False,
) -> None:
    """(Re)build the catalog database from the bundled data (atomic; your saved plans and
    facts live in the user store, which a build never touches).

    Example: smartpick --db ./catalog.sqlite data build
    """
    from smartpick.catalog.build import build_catalog

    state: State = ctx.obj if isinstance(ctx.obj, State) else State()
    target = resolve_db_path(state.db)
    store = state.open_store()  # first: moves an old catalog's plans and facts across
    where = store.location
    store.close()
    out = Console()
    if if_missing and target.exists():
        if as_json:
            typer.echo(json.dumps({"path": str(target), "built": False}))
        else:
            out.print(Text(f"catalog present: {target}"))
        return
    with progress_steps(
        Console(stderr=True), "building the catalog", total=1.0, disable=as_json
    ) as progress:
        report = build_catalog(target, data_dir=data_dir, progress=progress)
    assert report is not None  # built unconditionally
    if as_json:
        typer.echo(json.dumps({**asdict(report), "built": True, "store": where}, indent=2))
        return
    cw = report.crosswalk
    share = f" ({cw['linked_share']:.1%})" if "linked_share" in cw else ""
    out.print(
        Text(
            f"built {report.path} in {report.seconds:.2f} s: {report.programs:,} programs, "
            f"{report.institutions:,} institutions, {report.linked_freida}/{report.freida} FREIDA "
            f"programs linked{share}, {report.fixes} fixes recorded; your saved plans and facts "
            f"stay in {where}",
        ),
        highlight=False,
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add the `data` command group to the app."""
    from . import data_overlay  # noqa: F401  (registers import/check/reset on data_app)

    app.add_typer(data_app, name="data")
