"""Security headers (an ASGI middleware) and CSRF protection for form posts.

CSRF tokens are bound to the visitor and signed by the server: the first page a browser gets
sets a random visitor id in a ``SameSite=Strict``, ``HttpOnly`` cookie, and every form carries
``HMAC-SHA256(server secret, visitor id)`` in a hidden field. A post is accepted only when the
field is the server's signature of the cookie's visitor id, so a cookie/field pair an attacker
plants (without the secret) or another visitor's token is refused with a 403. The secret comes
from :func:`smartpick.secret.server_secret`. The JSON API needs no token: it accepts only
``application/json``, which a cross-site HTML form cannot send.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import replace

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartpick.errors import CsrfError
from smartpick.secret import server_secret

from .settings import WebSettings

__all__ = [
    "CSRF_FIELD",
    "VISITOR_COOKIE",
    "CsrfError",
    "SecurityHeadersMiddleware",
    "check_csrf",
    "csrf_token_for",
    "sign_visitor",
]

VISITOR_COOKIE = "smartpick_visitor"
CSRF_FIELD = "csrf_token"
_VISITOR = re.compile(r"[A-Za-z0-9_-]{32,64}")

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
#: Swagger UI sets inline styles on its own elements; scripts stay 'self' only.
_CSP_DOCS = _CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
#: The header names this middleware sets (a route's own values for them are replaced).
_OURS = frozenset({h for h, _ in _HEADERS} | {b"content-security-policy"})
_CSP_HEADER = (b"content-security-policy", _CSP.encode())
_CSP_DOCS_HEADER = (b"content-security-policy", _CSP_DOCS.encode())


class SecurityHeadersMiddleware:
    """Adds CSP and the other security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = _CSP_DOCS_HEADER if path == "/docs" else _CSP_HEADER

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                headers += [*_HEADERS, csp]
                if not path.startswith(("/static/", "/docs-assets/")):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secret(request: Request) -> bytes:
    settings: WebSettings = request.app.state.web_settings
    if settings.secret is None:
        settings = replace(settings, secret=server_secret())
        request.app.state.web_settings = settings
    assert settings.secret is not None
    return settings.secret


def _visitor(request: Request) -> str | None:
    """The visitor id of the request's cookie, if it is well formed."""
    value = request.cookies.get(VISITOR_COOKIE, "")
    return value if _VISITOR.fullmatch(value) else None


def sign_visitor(secret: bytes, visitor: str) -> str:
    """The CSRF token of a visitor: HMAC-SHA256 of its id under the server secret."""
    mac = hmac.new(secret, b"smartpick-csrf:" + visitor.encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def csrf_token_for(request: Request) -> tuple[str, str, bool]:
    """``(visitor id, CSRF token, new)``: ``new`` when the visitor cookie must be set."""
    visitor = _visitor(request)
    new = visitor is None
    if visitor is None:
        visitor = secrets.token_urlsafe(32)
    return visitor, sign_visitor(_secret(request), visitor), new


def check_csrf(request: Request, submitted: object) -> None:
    """Raise :class:`CsrfError` unless the form's token is this server's for this visitor."""
    visitor = _visitor(request)
    if not (
        visitor
        and isinstance(submitted, str)
        and submitted.isascii()
        and hmac.compare_digest(sign_visitor(_secret(request), visitor), submitted)
    ):
        raise CsrfError(
            "the form's security token is missing or expired; reload the page and try again",
            field=CSRF_FIELD,
        )
