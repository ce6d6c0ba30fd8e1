"""Every command has --help with an example (datasette's habit)."""

from __future__ import annotations

import contextlib
import io
import itertools
import shlex
from typing import Any

import pytest
import typer

from smartpick.cli import app, main


def _commands() -> list[tuple[str, ...]]:
    """Every command path of the CLI, found by walking the click tree (so new ones are covered)."""
    root = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        out.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():  # groups have sub-commands
            walk(sub, (*path, name))

    walk(root, ())
    return out


COMMANDS = _commands()


def test_the_walk_finds_the_commands() -> None:
    for expected in [
        ("programs",),
        ("plan",),
        ("serve",),
        ("calibrate",),
        ("data", "build"),
        ("data", "import"),
        ("data", "check"),
        ("data", "reset"),
    ]:
        assert expected in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "smartpick")
def test_help_has_an_example(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out
    assert "example" in out.lower(), f"`smartpick {' '.join(path)} --help` shows no example"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "No such command" in capsys.readouterr().err


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "smartpick")
def test_flags_are_shown_as_flags(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11, item 7: `--json`, not `--json <bool>` (typer's type column for a flag)."""
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "<bool>" not in out, out
    assert "--help" in out


def test_flags_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("smartpick ")


def _node(path: tuple[str, ...]) -> Any:
    node: Any = typer.main.get_command(app)
    for name in path:
        node = node.commands[name]
    return node


GROUPS = [path for path in COMMANDS if getattr(_node(path), "commands", None)]


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "smartpick")
def test_a_group_lists_each_command_s_whole_first_sentence(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """Click cuts summaries at about 45 characters (`how many to apply to,...`); ours are whole."""
    assert main([*path, "--help"]) == 0
    listed = " ".join(capsys.readouterr().out.split())
    for name, sub in _node(path).commands.items():
        first = " ".join((sub.help or "").split("\n\n")[0].split())
        sentence = first.split(". ")[0].rstrip(".")
        assert f"{name} {sentence}" in listed, (name, sentence)


def _examples() -> list[tuple[str, str]]:
    """Every ``smartpick ...`` line shown in a --help (its example commands), with the line
    after it."""
    out: set[tuple[str, str]] = set()
    for path in COMMANDS:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            main([*path, "--help"])
        lines = [line.strip() for line in buf.getvalue().splitlines()] + [""]
        out |= {(a, b) for a, b in itertools.pairwise(lines) if a.startswith("smartpick ")}
    return sorted(out)


@pytest.mark.parametrize("example, after", _examples(), ids=lambda x: x[:60])
def test_every_example_in_a_help_is_a_whole_command_that_parses(example: str, after: str) -> None:
    """An example is one line (not a command wrapped onto the next, cut when pasted) that the
    CLI accepts."""
    assert after == "" or after.startswith("smartpick "), f"{example!r} goes on: {after!r}"
    args = shlex.split(example.split(" > ")[0])[1:]
    node: Any = typer.main.get_command(app)
    ctx = node.make_context("smartpick", args)
    while getattr(node, "commands", None):
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        assert rest, f"{example!r} names no command"
        node = node.commands[rest[0]]
        ctx = node.make_context(rest[0], rest[1:], parent=ctx)
    assert not ctx.args, f"{example!r}: {ctx.args} left over"
