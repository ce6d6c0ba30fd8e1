"""`smartpick serve`: run the web app (pages, JSON API, API docs) on a local address."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from smartpick.config import TODAY_ENV, plan_date
from smartpick.web.settings import (
    ALLOWED_HOSTS_ENV,
    DEFAULT_ALLOWED_HOSTS,
    PUBLIC_URL_ENV,
    WebSettings,
    check_public_url,
)

from .context import State

__all__ = ["KEEP_ALIVE_S", "register", "serve"]

#: Seconds an idle keep-alive connection stays open. Longer than the idle expiry of common
#: clients and proxies (httpx: 5 s): when both are equal, a client can send a request on a
#: connection at the moment the server closes it, and that request fails.
KEEP_ALIVE_S = 30


def _hosts(host: str, given: list[str] | None) -> tuple[str, ...]:
    """Trusted hosts: --allowed-host, else $SMARTPICK_ALLOWED_HOSTS, else the defaults; plus the
    address served on when it is a specific one (not 0.0.0.0 / ::)."""
    out = [h.strip().lower() for v in given or [] for h in v.split(",") if h.strip()]
    if not out:
        out = list(WebSettings.from_env().allowed_hosts)
    if host not in _WILDCARDS and ":" not in host and host.lower() not in out:
        out.append(host.lower())
    return tuple(out)


_WILDCARDS = {"0.0.0.0", "::", ""}


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
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Host name the server answers to (repeat or comma list; default "
            f"${ALLOWED_HOSTS_ENV} or {', '.join(DEFAULT_ALLOWED_HOSTS)}). Others get a 400.",
        ),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help=f"Address users reach the app at, for saved-plan links (default "
            f"${PUBLIC_URL_ENV}, else http://HOST:PORT).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Plan and track as of this date (YYYY-MM-DD), for demonstrations and tests "
            "(default $SMARTPICK_TODAY, else the computer's date).",
            metavar="DATE",
        ),
    ] = None,
) -> None:
    """Run SmartPick in the browser: free, no account.

    Example: smartpick serve --port 8000   (then open http://127.0.0.1:8000)

    Behind a proxy: smartpick serve --allowed-host smartpick.example.org
    --public-url https://smartpick.example.org
    """
    import uvicorn

    from smartpick.web import create_app
    from smartpick.web.workers import event_loop, http_parser, run_workers

    state: State = ctx.obj or State()
    shown = f"[{host}]" if ":" in host else host
    hosts = _hosts(host, allowed_host)
    url = public_url or os.environ.get(PUBLIC_URL_ENV) or ""
    if url:
        url = check_public_url(url, "--public-url")
    elif host not in _WILDCARDS:
        url = f"http://{shown}:{port}"
    # every worker process reads the same settings from the environment
    if today:
        os.environ[TODAY_ENV] = today
    plan_date()  # a bad --today / $SMARTPICK_TODAY is an error before listening
    options: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "loop": event_loop(),
        "http": http_parser(),
    }
    os.environ[ALLOWED_HOSTS_ENV] = ",".join(hosts)
    if url:
        os.environ[PUBLIC_URL_ENV] = url
    if workers == 1:
        with state.planner() as planner:
            planner.open_catalog().close()  # build or check the catalog before listening
            app = create_app(planner, planner.store, tune_gc=True)
            typer.echo(
                f"SmartPick is running at http://{shown}:{port}  (API docs: /docs; Ctrl+C stops)"
            )
            uvicorn.run(app, host=host, port=port, **options)
        return
    # each worker process builds its own app: pass the catalog and the store on
    from smartpick.config import DB_ENV
    from smartpick.store import STORE_ENV

    if state.db:
        os.environ[DB_ENV] = str(state.db)
    if state.store:
        os.environ[STORE_ENV] = str(state.store)
    with state.planner() as planner:  # migrate the store and build the catalog once, first
        planner.open_catalog().close()
    typer.echo(f"SmartPick is running at http://{shown}:{port}  (API docs: /docs; Ctrl+C stops)")
    run_workers(workers, host, port, **options)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("serve")(serve)
