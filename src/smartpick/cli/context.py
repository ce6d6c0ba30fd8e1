"""State shared by all commands (global options)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["State"]


@dataclass
class State:
    """Global options given before the command."""

    db: str | None = None
