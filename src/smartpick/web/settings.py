"""Deployment settings of the web app: trusted hosts, public base URL and request limits.

Read from the environment by :meth:`WebSettings.from_env` (``smartpick serve`` sets the same
variables from its options, so every worker process agrees):

``SMARTPICK_ALLOWED_HOSTS``
    Comma-separated host names the server answers to (``Host`` header; others get a 400).
    Default ``127.0.0.1,localhost``. A leading ``*.`` allows subdomains; ``*`` allows any host
    (only behind a proxy that checks the host itself).
``SMARTPICK_PUBLIC_URL``
    The address users reach the app at, e.g. ``https://smartpick.example.org``; saved-plan
    links are built from it, never from the request's ``Host`` header.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from smartpick.errors import InputError

if TYPE_CHECKING:
    from fastapi import Request

__all__ = [
    "ALLOWED_HOSTS_ENV",
    "DEFAULT_ALLOWED_HOSTS",
    "PUBLIC_URL_ENV",
    "WebSettings",
    "check_public_url",
    "public_link",
]

ALLOWED_HOSTS_ENV = "SMARTPICK_ALLOWED_HOSTS"
PUBLIC_URL_ENV = "SMARTPICK_PUBLIC_URL"
DEFAULT_ALLOWED_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost")


def check_public_url(url: str, field_name: str = PUBLIC_URL_ENV) -> str:
    """An http(s) base URL without query or fragment, trailing slash removed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise InputError(
            f"'{url[:100]}' is not a base URL",
            field=field_name,
            allowed="http(s)://host[:port][/path], e.g. https://smartpick.example.org",
        )
    return url.strip().rstrip("/")


def _split_hosts(text: str) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in text.split(",") if h.strip())


@dataclass(frozen=True)
class WebSettings:
    """Trusted hosts and the public base URL (None: the request's own, trusted, base URL)."""

    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    public_url: str | None = None
    #: CSRF signing key; None: :func:`smartpick.secret.server_secret` on first use.
    secret: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls) -> WebSettings:
        """Settings from ``SMARTPICK_ALLOWED_HOSTS`` and ``SMARTPICK_PUBLIC_URL``."""
        hosts = _split_hosts(os.environ.get(ALLOWED_HOSTS_ENV, "")) or DEFAULT_ALLOWED_HOSTS
        url = os.environ.get(PUBLIC_URL_ENV, "").strip()
        return cls(hosts, check_public_url(url) if url else None)


def public_link(request: Request, route: str, **params: str) -> str:
    """Absolute link to a named route, on the configured public URL.

    Without one, the request's base URL is used: its host has already passed the trusted-host
    check, so a forged ``Host`` header cannot reach a link.
    """
    path = request.app.url_path_for(route, **params)
    settings: WebSettings = request.app.state.web_settings
    base = settings.public_url or str(request.base_url).rstrip("/")
    return base + str(path)
