"""How ``--help`` is printed: click's plain layout, each command listed with its whole summary.

Typer's rich help (panels, colours) imports ``typer.rich_utils``, which imports Rich's Markdown
renderer, markdown-it and Pygments whether or not any help is Markdown: about 35 ms of a
``smartpick --help`` of 129 ms, where ``import numpy`` takes 64 ms (issue 10's target is at most
2x; with the plain layout 93 ms, 1.45x, ``benchmarks/bench_cli.py``). Plain help also shows
flags as flags (``--json``, not typer's ``--json <bool>`` column).

Click cuts a command's summary in a group's list at about 45 characters (``Build your plan:
programs by tier, how many to apply to,...``); the classes here list its whole first sentence,
wrapped. :func:`plain_help` puts both on an app's commands and groups, sub-apps included, so new
commands are covered without a rule to remember.
"""

from __future__ import annotations

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["SummaryCommand", "SummaryGroup", "plain_help"]

#: Longer than any first sentence: a summary is cut only at its first sentence's end.
_WHOLE = 10_000


class SummaryCommand(TyperCommand):
    """A command whose summary in its group's list is its whole first sentence."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(_WHOLE)


class SummaryGroup(TyperGroup):
    """A group whose summary in its parent's list is its whole first sentence."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(_WHOLE)


def plain_help(app: typer.Typer) -> None:
    """Plain help with whole summaries for ``app`` and its sub-apps (recursively)."""
    app.rich_markup_mode = None
    app.info.cls = SummaryGroup
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # typer's default; a custom class is kept
            command.cls = SummaryCommand
    for group in app.registered_groups:
        group.cls = SummaryGroup
        if group.typer_instance is not None:
            plain_help(group.typer_instance)
