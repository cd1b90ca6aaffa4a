"""Tables that fit any terminal: boxed when wide enough, compact when tighter, stacked when narrow.

Text wraps at spaces; a column is never cropped or dropped. Below the width the compact table
needs (or below `STACK_BELOW` columns), each row becomes a block of `Header  value` lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from leadcli.render.plain import one_line, text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

STACK_BELOW = 60
"""Narrower than this, rows are always stacked: a table of several columns reads badly."""

Justify = Literal["left", "right", "center"]


@dataclass
class Column:
    header: str
    justify: Justify = "left"
    style: str = ""


@dataclass
class FittedTable:
    """Rows of `Text` cells under `columns`, laid out for the width they are printed at."""

    columns: list[Column]
    rows: list[list[Text]] = field(default_factory=list)
    title: str | None = None
    caption: str | None = None
    show_lines: bool = False

    def add_row(self, *cells: Text | str) -> None:
        """A row; strings are user text (shown literally, on one line), `Text` cells are used as they are."""
        self.rows.append([cell if isinstance(cell, Text) else one_line(cell) for cell in cells])

    def _table(self, compact: bool) -> Table:
        table = Table(
            box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
            show_edge=not compact,
            pad_edge=not compact,
            collapse_padding=compact,
            show_lines=self.show_lines and not compact,
            expand=False,
        )
        for column in self.columns:
            table.add_column(text(column.header), justify=column.justify, style=column.style, overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        return table

    def _stacked(self) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", overflow="fold")
        grid.add_column(overflow="fold")
        for number, row in enumerate(self.rows):
            if number:
                grid.add_row("", "")
            for index, (column, cell) in enumerate(zip(self.columns, row, strict=True)):
                value = cell.copy()
                if index == 0:
                    value.stylize("bold")
                grid.add_row(text(column.header), value)
        return grid

    def layout(self, console: Console, options: ConsoleOptions) -> RenderableType:
        """The table, compact table or stacked rows: the first that fits without cropping."""
        if options.max_width >= STACK_BELOW:
            for compact in (False, True):
                table = self._table(compact)
                if _fit(table, console, options):
                    return table
        return self._stacked()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts: list[RenderableType] = []
        if self.title:
            parts.append(text(self.title, style="bold"))
        parts.append(self.layout(console, options))
        if self.caption:
            parts.append(text(self.caption, style="dim"))
        yield Group(*parts)


def _fit(table: Table, console: Console, options: ConsoleOptions) -> bool:
    """Give `table`'s columns widths that fit `options.max_width` without breaking a word; False if none do.

    Each column gets at least its longest word; then the room left goes first to the columns that
    want least, so short columns stay whole and long text wraps (rich's own squeezing can fold
    a word while other columns have room to spare).
    """
    unbounded = options.update_width(10_000)
    cells = [[column.header, *column.cells] for column in table.columns]
    sizes = [[Measurement.get(console, unbounded, cell) for cell in column] for column in cells]
    least = [max(m.minimum for m in column) for column in sizes]
    most = [max(m.maximum for m in column) for column in sizes]
    overhead = Measurement.get(console, unbounded, table).maximum - sum(most)
    room = options.max_width - overhead
    if sum(most) <= room:
        return True
    if sum(least) > room:
        return False

    def widths(level: int) -> list[int]:
        return [min(high, max(low, level)) for low, high in zip(least, most, strict=True)]

    level = max(lv for lv in range(max(most) + 1) if sum(widths(lv)) <= room)  # fill up to one level
    chosen = widths(level)
    for index in range(len(chosen)):  # what rounding left over, one cell each
        if sum(chosen) < room and chosen[index] < most[index]:
            chosen[index] += 1
    for column, width in zip(table.columns, chosen, strict=True):
        column.width = width
    return True
