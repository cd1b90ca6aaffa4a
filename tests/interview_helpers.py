"""A scripted keyboard and a recording screen for driving interviews in tests."""

from __future__ import annotations

import io
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console


class Keyboard:
    """Answers prompts from a script; `KeyboardInterrupt`/`EOFError` items are raised."""

    def __init__(self, lines: Iterable[Any], *, echo: bool = False) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []
        self.echo = echo

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        item = self.lines.pop(0)
        if isinstance(item, BaseException) or (isinstance(item, type) and issubclass(item, BaseException)):
            raise item
        if self.echo:  # as a terminal would show it
            sys.stdout.write(f"{prompt}{item}\n")
        return item


class Screen:
    """Records what the engine shows, rendered as plain text."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.console = Console(file=self.buffer, width=100, color_system=None, highlight=False)

    def __call__(self, thing: Any) -> None:
        self.console.print(thing, markup=False) if isinstance(thing, str) else self.console.print(thing)

    @property
    def text(self) -> str:
        return self.buffer.getvalue()


HOSTILE = "[bold red]x[/] and [/] and <script>alert(1)</script> and 🦄 émoji"


def plain(text: str) -> str:
    """Screen text without trailing spaces, to compare transcripts."""
    return "\n".join(line.rstrip() for line in text.splitlines())


def stored(home: Path, interview_id: str):
    """The interview as the store has it."""
    from leadcli.store.db import Store

    with Store.open(home) as store:
        return store.interviews.get(interview_id)


def write_answers(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    """An answers file in `tmp_path` from indented YAML text."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
