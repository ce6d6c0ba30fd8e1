"""`smartpick data import | check | reset`: overlay your own program facts on the catalog.

Thin: parse → :mod:`smartpick.catalog.overlay` → print. The catalog is only read (to check
program codes); the facts are written to the user store, in one transaction. Columns and an
example file are in ``docs/user-data.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .context import State
from .data import data_app

__all__ = ["data_app"]

_FILE_HELP = "CSV file: program_code or acgme_id, then any of " + (
    "pct_img, visa_j1, visa_h1b, setting, city, step2_min, yog_limit_years, notes."
)
_EXAMPLE_FILE = (
    "\n\n  program_code,pct_img,visa_j1,visa_h1b,setting,notes"
    "\n\n  1903140C0,62,yes,no,community,Coordinator said J-1 only"
)


def _keys(state: State) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The catalog's program codes and ACGME links (the catalog is only read)."""
    from smartpick.catalog.overlay import known_keys
    from smartpick.catalog.store import Catalog

    with Catalog.open(state.db) as catalog:
        return known_keys(catalog.connection())


def _state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


@data_app.command(
    "check",
    help="Validate your CSV of program facts without writing anything.\n\nExample:"
    "\n\n  smartpick data check my_programs.csv" + _EXAMPLE_FILE,
)
def check_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=_FILE_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Validate without writing."""
    from smartpick.catalog.overlay import OverlaySummary, validate_overlay

    codes, acgme = _keys(_state(ctx))
    summary = OverlaySummary.of(validate_overlay(file, codes, acgme))
    _print(
        as_json,
        {"file": str(file), "valid": True, "written": False, **summary.__dict__},
        f"{file}: OK — {summary.rows} rows, {summary.programs} programs, "
        f"{summary.facts} facts would be overlaid (nothing written).",
    )


@data_app.command(
    "import",
    help="Overlay your own program facts on the catalog (your file is shown as their source)."
    "\n\nA bad file changes nothing. Example:\n\n  smartpick data import my_programs.csv"
    + _EXAMPLE_FILE,
)
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=_FILE_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Validate, then write in one transaction."""
    from smartpick.catalog.overlay import apply_overlay, overlay_source, validate_overlay

    state = _state(ctx)
    codes, acgme = _keys(state)
    rows = validate_overlay(file, codes, acgme)
    source = overlay_source(file)
    store = state.open_store()
    try:
        summary = apply_overlay(store, rows, source)
    finally:
        store.close()
    _print(
        as_json,
        {"file": str(file), "source": source, "written": True, **summary.__dict__},
        f"Overlaid {summary.facts} facts on {summary.programs} programs from {file} "
        f"(source: {source}). Undo with `smartpick data reset`.",
    )


@data_app.command(
    "reset",
    help="Remove all your imported facts (the shipped facts stay).\n\nExample:"
    "\n\n  smartpick data reset",
)
def reset_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Delete every row of the overlay."""
    from smartpick.catalog.overlay import reset_overlay

    store = _state(ctx).open_store()
    try:
        removed = reset_overlay(store)
    finally:
        store.close()
    _print(as_json, {"removed_facts": removed}, f"Removed {removed} facts of your data.")


def _print(as_json: bool, payload: dict[str, object], text: str) -> None:
    typer.echo(json.dumps(payload, indent=2) if as_json else text)
