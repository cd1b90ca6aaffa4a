"""Reading a large JSON document a piece at a time: the members of its objects and the items of its
lists one by one, each a whole value, so memory holds one record, not the file.

Each piece is parsed by the standard library's C decoder (`json.JSONDecoder.raw_decode`); this module
only walks the brackets and commas between them and counts lines for messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

_SPACE = re.compile(r"[ \t\n\r]*")
MAX_DIGITS = 100  # far past any number leadcli writes; Python refuses past 4,300 digits with a traceback


class _Duplicate(ValueError):
    """A member name given twice in one object (the standard decoder would keep the last)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise _Duplicate(name)
        result[name] = value
    return result


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _TooLong(text)
    return int(text)


def _number(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise _TooLong(text)
    return float(text)


class _TooLong(ValueError):
    """A number with more digits than any leadcli writes."""


class Text(Protocol):
    """What is read from: a text file, or anything that reads, seeks and iterates lines like one."""

    def read(self, size: int = -1, /) -> str: ...

    def seek(self, offset: int, /) -> int: ...

    def __iter__(self) -> Iterator[str]: ...


class NotJson(Exception):
    """The text is not the JSON expected; `line` says where (1 is the first line)."""

    def __init__(self, line: int, text: str) -> None:
        super().__init__(text)
        self.line = line
        self.text = text


def _decode(decoder: json.JSONDecoder, text: str, pos: int) -> tuple[Any, int]:
    """One JSON value from `text` at `pos`; its problems as `NotJson` (the caller fills in the line)."""
    try:
        return decoder.raw_decode(text, pos)
    except RecursionError:
        raise NotJson(0, "nested too deeply") from None
    except _Duplicate as exc:
        raise NotJson(0, f"the member {exc.args[0]!r} is given twice in one object") from None
    except _TooLong as exc:
        raise NotJson(
            0, f"a number of {len(exc.args[0])} characters: longer than any leadcli writes"
        ) from None


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_int=_integer, parse_float=_number)


class JsonLines:
    """A JSON Lines file (one JSON value a line) read a line at a time, as strictly as `JsonStream`."""

    def __init__(self, handle: Text) -> None:
        self.handle = handle
        self.decoder = _decoder()
        self.nul = False
        """Whether the last line spelled a NUL (see `JsonStream.nul`)."""

    def records(self) -> Iterator[tuple[int, Any]]:
        """Each value with its line number (1 is the first line); blank lines are passed over."""
        for number, read in enumerate(self.handle, 1):
            line = read.removeprefix("\ufeff") if number == 1 else read  # a BOM is not part of the JSON
            start = _SPACE.match(line)
            pos = start.end() if start else 0
            if pos == len(line):
                continue
            try:
                value, end = _decode(self.decoder, line, pos)
            except json.JSONDecodeError as exc:
                raise NotJson(number, exc.msg) from None
            except NotJson as exc:
                raise NotJson(number, exc.text) from None
            if line[end:].strip():
                raise NotJson(number, "more text after the value (JSON Lines hold one value a line)")
            self.nul = "\\u0000" in line
            yield number, value


class JsonStream:
    """A JSON document read from `handle` (a text file that can seek, for line numbers) a piece at a time."""

    CHUNK = 1 << 20

    def __init__(self, handle: Text) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.consumed = 0  # characters read and let go before buffer[0]
        self.eof = False
        self.decoder = _decoder()
        self.key_at = 0  # where the last member name began, in the buffer (for messages)
        self.nul = False
        """Whether the last value's text spelled a NUL: JSON can only as `\\u0000` (a raw control
        character is refused), so text without one needs no NUL dropped."""

    def _more(self) -> bool:
        chunk = self.handle.read(self.CHUNK)
        if not chunk:
            self.eof = True
            return False
        if not self.consumed and not self.buffer and chunk.startswith("\ufeff"):
            chunk = chunk[1:]  # a byte-order mark (a file saved by Notepad or Excel): not part of the JSON
        self.consumed += self.pos
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def line(self, pos: int | None = None) -> int:
        """The line number of `pos` in the buffer (default: where reading is); for messages only,
        so the lines of what was let go are counted only now, by reading the file again."""
        before = 0
        if self.consumed:
            self.handle.seek(0)
            left = self.consumed
            while left > 0 and (chunk := self.handle.read(min(left, self.CHUNK))):
                before += chunk.count("\n")
                left -= len(chunk)
        return 1 + before + self.buffer.count("\n", 0, self.pos if pos is None else pos)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the text)."""
        while True:
            space = _SPACE.match(self.buffer, self.pos)
            self.pos = space.end() if space else self.pos
            if self.pos < len(self.buffer) or not self._more():
                return self.buffer[self.pos : self.pos + 1]

    def take(self, char: str, what: str) -> None:
        """Step over `char` (what it stands for, for the message, is `what`)."""
        found = self.peek()
        if found != char:
            raise NotJson(self.line(), f"expected {what}, found {found!r}" if found else f"expected {what}")
        self.pos += 1

    def skip(self, char: str) -> bool:
        """Step over `char` if it comes next."""
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def value(self) -> Any:
        """The next whole JSON value."""
        self.peek()
        while True:
            try:
                value, end = _decode(self.decoder, self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or not self._more():
                    raise NotJson(self.line(exc.pos), exc.msg) from None
                continue
            except NotJson as exc:
                raise NotJson(self.line(), exc.text) from None
            if end == len(self.buffer) and not self.eof and self._more():
                continue  # a number or literal may go on in the next chunk: read it whole
            self.nul = self.buffer.find("\\u0000", self.pos, end) != -1
            self.pos = end
            return value

    def key(self) -> str:
        """The next member name, and the ':' after it."""
        if self.peek() != '"':
            raise NotJson(self.line(), "expected a member name in double quotes")
        self.key_at = self.pos
        name = self.value()
        self.take(":", "':'")
        return name

    def items(self) -> Iterator[Any]:
        """The items of a list, one at a time."""
        self.take("[", "a list")
        if self.skip("]"):
            return
        while True:
            yield self.value()
            if self.skip("]"):
                return
            self.take(",", "',' or ']'")

    def members(self) -> Iterator[tuple[str, Any]]:
        """The members of an object, one at a time (each value read whole)."""
        for name in self.names():
            yield name, self.value()

    def names(self) -> Iterator[str]:
        """The member names of an object, one at a time; after each, read its value (`value`,
        `items`, `members`) before asking for the next."""
        self.take("{", "an object")
        if self.skip("}"):
            return
        while True:
            yield self.key()
            if self.skip("}"):
                return
            self.take(",", "',' or '}'")

    def end(self) -> None:
        """Refuse anything but white space after the document."""
        if self.peek():
            raise NotJson(self.line(), "more text after the end of the document")
