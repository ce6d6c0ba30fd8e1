"""The CLI process raises the collector's thresholds; the library and ``main(argv)`` do not."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from smartpick.cli import main
from smartpick.collector import GC_THRESHOLDS


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_main_with_arguments_keeps_the_callers_thresholds(
    thresholds: tuple[int, int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--version"]) == 0
    assert gc.get_threshold() == thresholds


def test_the_process_command_line_raises_them(
    thresholds: tuple[int, int, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["smartpick", "--version"])
    assert main() == 0
    assert gc.get_threshold() == GC_THRESHOLDS


def test_importing_smartpick_changes_nothing() -> None:
    code = "import gc; t = gc.get_threshold(); import smartpick.cli; print(gc.get_threshold() == t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
