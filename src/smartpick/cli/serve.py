"""`smartpick serve`: run the web app (pages, JSON API, API docs) on a local address."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from smartpick.config import DB_ENV

from .context import State

__all__ = ["register", "serve"]


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (127.0.0.1: this computer only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=32, help="Server processes (one per CPU core)."),
    ] = 1,
) -> None:
    """Run SmartPick in the browser: free, no account.

    Example: smartpick serve --port 8000   (then open http://127.0.0.1:8000)
    """
    import uvicorn

    from smartpick.web import create_app

    state: State = ctx.obj or State()
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"SmartPick is running at http://{shown}:{port}  (API docs: /docs; Ctrl+C stops)")
    if workers == 1:
        uvicorn.run(
            create_app(state.db), host=host, port=port, log_level="warning", access_log=False
        )
        return
    if state.db:  # each worker process builds its own app: pass the catalog path on
        os.environ[DB_ENV] = str(state.db)
    uvicorn.run(
        "smartpick.web:create_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("serve")(serve)
