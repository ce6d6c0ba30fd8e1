"""Exception handlers: bad input → 4xx naming the field; nothing unexpected leaks as a traceback.

API paths (``/api/…``) answer JSON ``{"field", "error", "detail"}``; pages answer an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from smartpick.errors import CatalogError, InputError, ModelError, StoreError

from .render import render
from .security import CsrfError

__all__ = ["install_handlers"]

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
    if sep and " " not in head and not field:
        field, msg = head, rest  # a model-level error that names its own field
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


async def _on_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    status = 403 if isinstance(exc, CsrfError) else (422 if _is_api(request) else 400)
    return _answer(request, status, "Please check your input", str(exc), exc.field)


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
    return response


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


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s: %s", request.url.path, type(exc).__name__)
    return _answer(
        request,
        500,
        "Something went wrong",
        "An unexpected error occurred; please try again.",
        None,
    )


def install_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(InputError, _on_input)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(NotImplementedError, _on_unavailable)
    app.add_exception_handler(CatalogError, _on_unavailable)
    app.add_exception_handler(ModelError, _on_unavailable)
    app.add_exception_handler(StoreError, _on_unavailable)
    app.add_exception_handler(Exception, _on_unexpected)
