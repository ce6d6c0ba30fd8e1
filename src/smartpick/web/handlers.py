"""Exception handlers: bad input → 4xx naming the field; nothing unexpected leaks as a traceback.

API paths (``/api/…``) answer JSON ``{"field", "error", "detail"}``; pages answer an HTML page.
:class:`LastResortMiddleware` turns an exception nothing else handled into a plain 500 (no
traceback, nothing re-raised to the server, so the connection stays usable). It is a last
resort only: the fuzz and schemathesis tests assert that no route ever reaches it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartpick.errors import (
    CatalogError,
    CsrfError,
    InputError,
    ModelError,
    RequestError,
    StoreError,
)

from .render import render

__all__ = ["LastResortMiddleware", "answer_error", "install_handlers"]

log = logging.getLogger("smartpick.web")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _answer(
    request: Request, status: int, title: str, message: str, field: str | None, detail: Any = None
) -> Response:
    if _is_api(request):
        body = {
            "field": field,
            "error": message,
            "detail": detail if detail is not None else message,
        }
        return JSONResponse(body, status_code=status)
    ctx = {"status": status, "title": title, "message": message, "field": field}
    return render(request, "error.html", ctx, status_code=status)


def _validation_field(err: dict[str, Any]) -> tuple[str, str]:
    """(field, message) of one pydantic error, without the 'body'/'query' prefix."""
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    field = ".".join(loc)
    head, sep, rest = msg.partition(": ")
    if sep and head.isidentifier():  # a model-level error that names its own field
        field, msg = (f"{field}.{head}" if field else head), rest
    if err.get("type") == "extra_forbidden":
        msg = "unknown field"
    return field or "body", msg


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [dict(e) for e in exc.errors()]
    field, msg = _validation_field(errors[0]) if errors else ("body", "invalid request")
    detail = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]
    return _answer(request, 422, "Please check your input", f"{field}: {msg}", field, detail)


def answer_error(request: Request, exc: InputError) -> Response:
    """The 4xx answer to bad input: 403 CSRF, 413/422 over a limit, else 422 (API) / 400."""
    if isinstance(exc, CsrfError):
        status = 403
    elif isinstance(exc, RequestError):
        status = exc.status
    else:
        status = 422 if _is_api(request) else 400
    title = "Request too large" if status == 413 else "Please check your input"
    return _answer(request, status, title, str(exc), exc.field)


async def _on_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    return answer_error(request, exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 415: "Unsupported content type"}
    message = str(exc.detail)
    field = message.partition(":")[0] if exc.status_code == 415 else None
    response = _answer(
        request, exc.status_code, titles.get(exc.status_code, "Error"), message, field
    )
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    if exc.status_code == 405:
        response.headers["Allow"] = _allowed_methods(request)
    return response


def _allowed_methods(request: Request) -> str:
    """Every method of every route at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "\x00"})
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _on_unavailable(request: Request, exc: Exception) -> Response:
    log.error("service unavailable: %s", type(exc).__name__)
    if isinstance(exc, NotImplementedError):
        message = "The planner is not available in this version yet."
    elif isinstance(exc, StoreError):
        message = "Saved plans are not available right now; please try again shortly."
    else:
        message = (
            f"The program catalog or model is not ready: {exc}. "
            "Run `smartpick data build` and try again."
        )
    return _answer(request, 503, "Not available yet", message, None)


_PLAIN_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Something went wrong</title>"
    "<h1>Something went wrong</h1><p>An unexpected error occurred; please try again.</p>"
    '<p><a href="/">Back to the form</a></p></html>'
)


class LastResortMiddleware:
    """A plain 500 for an exception no handler took (its type is logged, never the request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("unexpected error on %s: %s", scope.get("path", ""), type(exc).__name__)
            if started:  # nothing more can be said; the server closes this response
                return
            response: Response
            if str(scope.get("path", "")).startswith("/api/"):
                body = {"field": None, "error": "unexpected error; please try again"}
                response = JSONResponse({**body, "detail": body["error"]}, status_code=500)
            else:
                response = HTMLResponse(_PLAIN_500, status_code=500)
            await response(scope, receive, send)


def install_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(InputError, _on_input)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(NotImplementedError, _on_unavailable)
    app.add_exception_handler(CatalogError, _on_unavailable)
    app.add_exception_handler(ModelError, _on_unavailable)
    app.add_exception_handler(StoreError, _on_unavailable)
