"""`smartpick data import | check | reset` (placeholder: filled in by its issue)."""

from __future__ import annotations

from .data import data_app

__all__ = ["data_app"]
