"""SmartPick in the browser: a thin FastAPI layer over :mod:`smartpick.service`."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
