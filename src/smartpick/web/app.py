"""The FastAPI application: pages, JSON API, self-hosted API docs, static assets."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import HTMLResponse, Response

from smartpick import __version__
from smartpick.planner import Planner, PlanService
from smartpick.secret import server_secret
from smartpick.store import UserStore, open_store

from . import api, list_pages, pages, runtime, saved_api, track_api, track_pages
from .compress import GZIP_LEVEL, MINIMUM_SIZE, FastGZipMiddleware
from .handlers import LastResortMiddleware, install_handlers
from .limits import RequestLimitsMiddleware
from .malloc import tune_malloc
from .render import render
from .security import SecurityHeadersMiddleware
from .settings import WebSettings

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"
#: Swagger UI's script and style, shipped inside the fastapi-offline package (no CDN).
_DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"


def create_app(
    planner: PlanService | None = None,
    store: UserStore | None = None,
    *,
    settings: WebSettings | None = None,
    tune_gc: bool = False,
) -> FastAPI:
    """A SmartPick web app that plans with ``planner`` and saves plans in ``store``.

    ``settings`` (default: :meth:`WebSettings.from_env`) holds the trusted hosts, the public
    base URL of links and the CSRF secret (``$SMARTPICK_SECRET``, else kept in the store).

    Either may be omitted: the store then comes from ``$SMARTPICK_DATABASE_URL`` or sits beside
    the catalog (``$SMARTPICK_DB`` or per-user), and the planner plans over that catalog with
    that store's facts. What the app opens itself it closes at shutdown; what it is given stays
    the caller's. ``tune_gc``: tune the process's garbage collector and C allocator when the
    server starts the app (:mod:`smartpick.web.runtime`, :mod:`smartpick.web.malloc`;
    ``smartpick serve`` does, in each worker).
    """
    owned: list[Planner | UserStore] = []
    if store is None:
        if isinstance(planner, Planner):
            store = planner.store
        else:
            store = open_store()
            owned.append(store)
    if planner is None:
        planner = Planner(store=store)
        owned.append(planner)
    settings = settings or WebSettings.from_env()
    if settings.secret is None:
        settings = dataclasses.replace(settings, secret=server_secret(store=store))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if tune_gc:
            runtime.tune_gc()
            tune_malloc()
        yield
        for thing in owned:
            thing.close()

    app = FastAPI(
        title="SmartPick",
        version=__version__,
        description=(
            "Free residency-selection planner for US-citizen IMGs. "
            "POST a profile to /api/plan to get the planner's JSON contract."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.planner = planner
    app.state.store = store
    app.state.web_settings = settings
    # outermost last: headers → last-resort 500 → trusted hosts → body limits → gzip → app
    app.add_middleware(FastGZipMiddleware, minimum_size=MINIMUM_SIZE, compresslevel=GZIP_LEVEL)
    app.add_middleware(RequestLimitsMiddleware)
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False
    )
    app.add_middleware(LastResortMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=_DOCS_ASSETS), name="docs-assets")
    install_handlers(app)
    app.include_router(api.router)
    app.include_router(saved_api.router)
    app.include_router(track_api.router)
    app.include_router(pages.router)
    app.include_router(list_pages.router)
    app.include_router(track_pages.router)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI, served from this server only."""
        return render(request, "docs.html", {"openapi_url": app.openapi_url})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """No icon (browsers ask for one); an empty answer keeps logs and consoles clean."""
        return Response(status_code=204)

    return app
