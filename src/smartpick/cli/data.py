"""`smartpick data ...`: build, import, check and reset the catalog.

``data_app`` is shared: ``data build`` lives here, ``import | check | reset`` in ``data_overlay``.
"""

from __future__ import annotations

import typer

__all__ = ["data_app", "register"]

data_app = typer.Typer(
    help="Build the catalog, or import your own program facts.\n\nExample: smartpick data build",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the `data` command group to the app."""
    from . import data_overlay  # noqa: F401  (registers import/check/reset on data_app)

    app.add_typer(data_app, name="data")
