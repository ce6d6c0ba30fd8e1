"""Request limits (an ASGI middleware) and the JSON checks behind them.

Every request body is read at most once, up to :data:`MAX_BODY_BYTES`; a larger body is refused
with **413** before the app sees it. A JSON body (``application/json``) must also be UTF-8,
nested at most :data:`MAX_DEPTH` arrays/objects deep, with strings (keys and values) of at most
:data:`MAX_STRING` characters, no lone UTF-16 surrogates (``"\\ud800"``) and no NaN / Infinity
or number that overflows to infinity; otherwise **422** names the offending field. The same
checks apply to the ``profile_json`` field the results page posts back. The limits are
documented in ``docs/web.md``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartpick.errors import RequestError

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "MAX_STRING",
    "RequestLimitsMiddleware",
    "check_json_value",
    "loads_checked",
]

#: Largest request body accepted (bytes): a results page's form is a few kilobytes.
MAX_BODY_BYTES = 256 * 1024
#: Deepest nesting of JSON arrays and objects (a profile needs 2).
MAX_DEPTH = 16
#: Longest JSON string, key or value (characters).
MAX_STRING = 2000

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _depth_ok(text: str) -> bool:
    """Whether brackets outside strings nest at most MAX_DEPTH deep (no recursion)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _no_constant(name: str) -> Any:
    raise RequestError(f"{name} is not a number JSON allows", field="body")


def _field(path: list[str]) -> str:
    return ".".join(path) or "body"


def check_json_value(value: Any, path: list[str] | None = None) -> None:
    """Raise :class:`RequestError` (422) for a string over the limit, a lone surrogate or a
    non-finite number anywhere in ``value``."""
    stack: list[tuple[Any, list[str]]] = [(value, path or [])]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            _check_string(item, where)
        elif isinstance(item, float) and not math.isfinite(item):
            raise RequestError("must be a finite number", field=_field(where))
        elif isinstance(item, dict):
            for key, sub in item.items():
                _check_string(key, where)
                stack.append((sub, [*where, key]))
        elif isinstance(item, list):
            stack.extend((sub, [*where, str(i)]) for i, sub in enumerate(item))


def _check_string(text: str, where: list[str]) -> None:
    if len(text) > MAX_STRING:
        raise RequestError(
            f"text of {len(text)} characters (at most {MAX_STRING})", field=_field(where)
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(
            "contains a lone UTF-16 surrogate (not a character)", field=_field(where)
        ) from None


def loads_checked(text: str) -> Any:
    """``json.loads`` within the limits above (RequestError, 422, naming the field)."""
    if not _depth_ok(text):
        raise RequestError(f"nested more than {MAX_DEPTH} levels deep", field="body")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        raise RequestError(f"not valid JSON ({str(exc)[:120]})", field="body") from None
    check_json_value(value)
    return value


def _is_json(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return bool(media == b"application/json")
    return False


class RequestLimitsMiddleware:
    """Refuse bodies over :data:`MAX_BODY_BYTES` (413) and JSON outside the limits (422)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(scope, receive)
            if body and _is_json(scope):
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise RequestError("the body is not UTF-8 text", field="body") from None
                loads_checked(text)
        except RequestError as exc:
            await _refuse(scope, receive, send, exc)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect

        await self.app(scope, replay, send)


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                raise RequestError("Content-Length is not a number", field="body") from None
            if declared > MAX_BODY_BYTES:
                raise _too_large()
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _too_large() -> RequestError:
    return RequestError(
        f"the request body is larger than {MAX_BODY_BYTES // 1024} KiB", status=413, field="body"
    )


async def _refuse(scope: Scope, receive: Receive, send: Send, exc: RequestError) -> None:
    from .handlers import answer_error  # the handlers render pages with this module's limits

    response = answer_error(Request(scope), exc)
    await response(scope, receive, send)
