"""Progress of long work on stderr, with rich's progress bar; it goes when the work is done."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from leadcli.progress import Progress
from leadcli.untrusted import visible


class _Bar:
    """A `Progress` shown as one rich task; its label shown literally, controls escaped."""

    def __init__(self, bar: object, label: str) -> None:
        from rich.progress import Progress as RichProgress

        assert isinstance(bar, RichProgress)
        self.bar = bar
        self.label = label
        self.task = bar.add_task(visible(label, lines=False), total=None)

    def start(self, total: int | None) -> None:
        self.bar.update(self.task, total=total, completed=0)

    def advance(self, amount: int = 1) -> None:
        self.bar.advance(self.task, amount)


@contextmanager
def progress_bar(label: str, *, in_bytes: bool = False) -> Iterator[Progress]:
    """A bar on stderr for the work inside the block: `label`, the bar, how much of how much
    (interviews, or megabytes with `in_bytes`) and the time left; erased when the block ends."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    from leadcli.render.plain import console

    bar = RichProgress(
        TextColumn("{task.description}", markup=False),  # a label may hold a file's name
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn() if in_bytes else MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console(sys.stderr),
        transient=True,
    )
    with bar:
        yield _Bar(bar, label)
