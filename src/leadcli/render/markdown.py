"""Markdown building blocks that paste cleanly into an email, a wiki or a CRM note."""

from __future__ import annotations

import re
from collections.abc import Iterable

from leadcli.untrusted import visible

# Everywhere: what starts emphasis, code, links, HTML, tables, strikethrough or fences; entities.
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~]")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# At a line start: headings, lists (`-`, `+`, `1.`, `1)`), setext underlines (`===`, `---`).
_BLOCK_START = re.compile(r"^(?:[#+=-]|(\d{1,9})([.)]))")


def _line(text: str, *, starts_block: bool = True) -> str:
    return _literal(text.strip(), starts_block=starts_block)


def _literal(text: str, *, starts_block: bool) -> str:
    escaped = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\g<0>", text))
    if not starts_block:
        return escaped
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[0]}", escaped)


def inline(text: str, *, starts_block: bool = True) -> str:
    """User text as literal Markdown on one line: nothing in it can start a block or inline markup.

    Line breaks become spaces (headings, list items and table cells are one line); indentation
    is dropped, so no line becomes a code block; control characters are shown (`\\x1b`).
    """
    return _line(" ".join(part.strip() for part in visible(text).split("\n")), starts_block=starts_block)


def prose(text: str) -> str:
    """One of leadcli's own sentences (a legend, a key) on one line: its `command` spans stay code
    spans, everything else is literal, as `inline` makes it."""
    flat = " ".join(part.strip() for part in visible(text).split("\n")).strip()
    parts = flat.split("`")
    if len(parts) % 2 == 0 or any("\n" in p or not p for p in parts[1::2]):
        return inline(text)
    return "".join(
        f"`{part}`" if index % 2 else _literal(part, starts_block=index == 0)
        for index, part in enumerate(parts)
    )


def block(text: str) -> str:
    """Multi-line user text as literal Markdown, each line break kept as a hard break (`\\`)."""
    lines = [_line(line) for line in visible(text).split("\n")]
    return "\n".join(
        line + "\\" if line and index + 1 < len(lines) and lines[index + 1] else line
        for index, line in enumerate(lines)
    )


def cell(text: str) -> str:
    """Text made safe for one Markdown table cell (never at a line start: `1.` stays as it is)."""
    return inline(text, starts_block=False)


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = [
        "| " + " | ".join(cell(name) for name in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
