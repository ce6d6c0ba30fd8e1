"""Security headers (an ASGI middleware) and CSRF protection for form posts.

CSRF uses the double-submit cookie pattern: every page that shows a form sets a random token in
a ``SameSite=Strict`` cookie and repeats it in a hidden field; a form post is accepted only when
both are present and equal. The JSON API needs no token: it accepts only ``application/json``,
which a cross-site HTML form cannot send.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartpick.errors import InputError

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CsrfError",
    "SecurityHeadersMiddleware",
    "check_csrf",
    "csrf_token_for",
]

CSRF_COOKIE = "smartpick_csrf"
CSRF_FIELD = "csrf_token"

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


class CsrfError(InputError):
    """A form post without a valid CSRF token."""


class SecurityHeadersMiddleware:
    """Adds CSP and the other security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = _CSP_DOCS if path == "/docs" else _CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {h for h, _ in _HEADERS} | {b"content-security-policy"}
                ]
                headers += [*_HEADERS, (b"content-security-policy", csp.encode())]
                if not path.startswith(("/static/", "/docs-assets/")):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token_for(request: Request) -> tuple[str, bool]:
    """The request's CSRF token and whether it is new (so the cookie must be set)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def check_csrf(request: Request, submitted: object) -> None:
    """Raise :class:`CsrfError` unless the form's token equals the cookie's."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not (
        isinstance(submitted, str)
        and cookie
        and hmac.compare_digest(cookie.encode(), submitted.encode())
    ):
        raise CsrfError(
            "the form's security token is missing or expired; reload the page and try again",
            field=CSRF_FIELD,
        )
