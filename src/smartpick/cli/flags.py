"""Flags shown as flags in ``--help``: ``--json``, not ``--json <bool>``.

Typer's rich help prints a type column for every option, ``<bool>`` for on/off flags too (and
for its own ``--help``), which reads as if the flag took a value. The command classes here give
every flag an empty metavar, so the column stays blank; :func:`flags_as_flags` puts them on an
app's commands and groups, sub-apps included, so new flags are covered without a rule to
remember.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["FlagCommand", "FlagGroup", "flags_as_flags"]


def _blank_flags(params: list[Any]) -> list[Any]:
    for param in params:
        is_flag = getattr(param, "is_flag", False) and not getattr(param, "count", False)
        if is_flag and getattr(param, "metavar", "") is None:
            param.metavar = ""
    return params


class FlagCommand(TyperCommand):
    """A command whose flags (``--help`` included) show no ``<bool>``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _blank_flags(super().get_params(ctx))


class FlagGroup(TyperGroup):
    """A group whose flags (``--help``, ``--version``) show no ``<bool>``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _blank_flags(super().get_params(ctx))


def flags_as_flags(app: typer.Typer) -> None:
    """Use the flag-aware classes for every command and group of ``app`` (recursively)."""
    app.info.cls = FlagGroup
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # typer's default; a custom class is kept
            command.cls = FlagCommand
    for group in app.registered_groups:
        group.cls = FlagGroup
        if group.typer_instance is not None:
            flags_as_flags(group.typer_instance)
