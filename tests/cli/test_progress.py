"""Progress on slow work shows as plain lines on stderr when stderr is not a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from smartpick.cli.progress import progress_steps, status


def test_steps_print_one_line_each_when_not_a_terminal() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False)
    with progress_steps(console, "building the catalog", total=1.0) as step:
        step("fixing known defects", 0.3)
        step("fixing known defects", 0.5)
        step("validating", 0.9)
    with status(console, "Planning…"):
        pass
    assert buf.getvalue().splitlines() == [
        "building the catalog",
        "fixing known defects",
        "validating",
        "Planning…",
    ]


def test_disabled_steps_print_nothing() -> None:
    buf = io.StringIO()
    with progress_steps(Console(file=buf), "x", disable=True) as step:
        step("y", None)
    assert buf.getvalue() == ""
