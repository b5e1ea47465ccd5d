"""What a long step shows while it runs: a rich progress line on standard error.

Shown only when standard error is a terminal and ``--quiet`` is not given, and erased when the
step ends, so standard output carries the results alone and a pipe or a log gets no
animation. Rich comes with typer; it is imported only when a line is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer


def quiet_option() -> Any:
    """The ``-q/--quiet`` option of every command that shows its activity."""
    return typer.Option(False, "--quiet", "-q", help="Show no progress line on the terminal.")


class Activity:
    """A running step: its words can change, and a count can tick along."""

    def __init__(self, progress: Any = None, task: Any = None) -> None:
        self._progress = progress
        self._task = task

    def step(self, description: str) -> None:
        """Say what is being done now (``Rendering the PDF``)."""
        if self._progress is not None:
            self._progress.update(self._task, description=description)

    def tick(self, done: int, total: int | None) -> None:
        """How far a counted step is: ``done`` of ``total`` (``None`` while not yet known)."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)


@contextmanager
def activity(description: str, *, quiet: bool = False, unit: str = "") -> Iterator[Activity]:
    """Show ``description`` with a spinner and the time elapsed while the block runs; with
    ``unit`` (``targets``) also a bar and ``done/total unit`` as :meth:`Activity.tick` is told."""
    if quiet or not sys.stderr.isatty():
        yield Activity()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if unit:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn(unit)]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Activity(progress, progress.add_task(description, total=None))
