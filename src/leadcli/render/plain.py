"""User text for the terminal: printed literally (no markup, emoji or highlighting), controls visible.

Every terminal renderer builds user text with `text()` (or `Notes` for long multi-line text) and
prints through `console()`, so `[bold]`, `:smile:` and `\\x1b[2J` in a note print as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import IO, TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from leadcli.untrusted import visible

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, RenderResult


def console(file: IO[str] | None = None, *, width: int | None = None) -> Console:
    """A console that never reads text as markup, emoji codes or things to highlight."""
    return Console(file=file, width=width, markup=False, emoji=False, highlight=False)


def text(value: str, style: str = "") -> Text:
    """User text as a rich `Text`: literal, with control characters shown, not obeyed."""
    return Text(visible(value), style=style)


def one_line(value: str, style: str = "") -> Text:
    """User text that belongs on one line (a name, a role, a table cell): newlines and tabs shown."""
    return Text(visible(value, lines=False), style=style)


_WORD = re.compile(r"\S+\s*|\s+")


@lru_cache(maxsize=16)
def _ascii_lines(width: int) -> re.Pattern[str]:
    """Up to `width` characters ending before a space (or at the end), else `width` characters."""
    return re.compile(rf"(.{{1,{width}}})(?: +|$)|(.{{{width}}})")


def wrap_line(line: str, width: int) -> list[str]:
    """One line of text broken into lines of at most `width` cells, at spaces where it can be.

    Linear in the length of the line (rich's own wrapping of one big `Text` is quadratic).
    Leading indentation is kept on the first line.
    """
    if len(line) <= width and cell_len(line) <= width:
        return [line]
    if line.isascii():  # one cell per character: a regular expression does it in C
        lines = [(m[1] or m[2]).rstrip() for m in _ascii_lines(width).finditer(line)]
        if len(lines) > 1 and not lines[0]:
            del lines[0]  # indentation wider than the line allows
        return lines or [""]
    return wrap_words(line, width)


def wrap_words(line: str, width: int) -> list[str]:
    """`wrap_line` for any text, word by word, measuring cells (wide characters count two)."""
    lines: list[str] = []
    indent = line[: len(line) - len(line.lstrip())]
    current: list[str] = [indent] if cell_len(indent) < width else []
    used = cell_len(indent) if current else 0
    for found in _WORD.findall(line.lstrip()):
        word, bare = found, found.rstrip()
        size = cell_len(bare)
        if current and used + size > width:
            if "".join(current).strip():
                lines.append("".join(current).rstrip())
            current, used = [], 0
        if size > width:  # a word longer than the line: fold it
            pieces = chop_cells(bare, width)
            lines.extend(pieces[:-1])
            word = pieces[-1] + word[len(bare) :]
            bare, size = pieces[-1], cell_len(pieces[-1])
        if not current and not bare:
            continue  # spaces at a line start after a break
        current.append(word)
        used += size + (len(word) - len(bare))
    if current:
        lines.append("".join(current).rstrip())
    return lines or [""]


PROSE_MEASURE = 100
"""The widest a line of prose is wrapped at, however wide the terminal: long lines are hard to read."""


class Notes:
    """Multi-line user text (a note, an answer), wrapped and indented; fast for megabytes of text.

    Lines wrap at the terminal's width, or at `PROSE_MEASURE` on a wider one."""

    def __init__(self, value: str, *, indent: int = 0, style: str = "") -> None:
        self.value = visible(value)
        self.indent = indent
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = console.get_style(self.style) if self.style else Style.null()
        width = max(1, min(options.max_width, PROSE_MEASURE) - self.indent)
        pad = " " * self.indent
        newline = Segment.line()
        for paragraph in self.value.expandtabs(4).split("\n"):
            for line in wrap_line(paragraph, width):
                yield Segment(pad + line, style)
                yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(w) for w in self.value.split()), default=0)
        widest = max((cell_len(p) for p in self.value.split("\n")), default=0)
        widest = min(widest, PROSE_MEASURE - self.indent)
        return Measurement(longest + self.indent, widest + self.indent).clamp(max_width=options.max_width)
