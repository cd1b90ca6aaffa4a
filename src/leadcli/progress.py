"""How long work says how far it has got, without knowing who shows it (the CLI shows it on stderr).

The services behind `export`, `import`, `summary` and `evaluate` take a `Progress` and call
`start` once they know how much there is, then `advance` as they go. `SILENT` shows nothing: the
default, and what the CLI passes when stderr is not a terminal or `--quiet` is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    def start(self, total: int | None) -> None:
        """How much work there is (None: not known), in the units `advance` counts."""

    def advance(self, amount: int = 1) -> None:
        """`amount` more of it done."""


class _Silent:
    def start(self, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


SILENT: Progress = _Silent()


def counted(items: Iterable[T], progress: Progress, total: int | None) -> Iterator[T]:
    """`items` as they come, each counted on `progress` (out of `total`) once it has been handled."""
    progress.start(total)
    for item in items:
        yield item
        progress.advance()
