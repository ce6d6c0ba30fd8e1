"""Progress on slow work: a rich bar or spinner on a terminal, one plain line per step on
stderr otherwise (so a log or CI shows that something is happening, and what)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.text import Text

__all__ = ["progress_steps", "status"]


def _line(console: Console, text: str) -> None:
    console.print(Text(text), highlight=False, markup=False)


@contextlib.contextmanager
def status(console: Console, text: str) -> Iterator[None]:
    """A spinner on a terminal; otherwise the text once, as a line."""
    if console.is_terminal:
        with console.status(text, spinner="dots"):
            yield
        return
    _line(console, text)
    yield


@contextlib.contextmanager
def progress_steps(
    console: Console, description: str, *, total: float | None = None, disable: bool = False
) -> Iterator[Callable[[str, float | None], None]]:
    """Yield ``step(text, done)``: a bar on a terminal (``done`` of ``total``, or one step
    when None); otherwise a line per new step text."""
    if disable:
        yield lambda _text, _done: None
        return
    if not console.is_terminal:
        last: list[str] = []

        def say(text: str, _done: float | None) -> None:
            if not last or last[-1] != text:
                last[:] = [text]
                _line(console, text)

        say(description, None)
        yield say
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def update(text: str, done: float | None) -> None:
            if done is None:
                bar.update(task, description=text, advance=1)
            else:
                bar.update(task, description=text, completed=done)

        yield update
