"""Safe YAML reading that remembers the line of every value and rejects what PyYAML lets by.

PyYAML silently keeps the last of two duplicate keys and expands aliases without limit; this
loader composes the node graph (libyaml's C parser where installed), then builds plain Python
values itself: duplicate keys, aliases, merge keys and non-standard tags are problems reported
with their line, never constructed. An unquoted date (a YAML timestamp) stays the text it was, for
the one date rule in `leadcli.dates` to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    _TIMESTAMP_TAG,
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALARS = yaml.SafeLoader("")


def format_loc(loc: Loc) -> str:
    """`('offerings', 3, 'price')` -> `offerings[3].price`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the line (1-based) where each value starts."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Values the loader refused (duplicate keys, aliases, tags); the rest of the data stands."""
    refused: set[Loc] = field(default_factory=set)
    source_text: dict[Loc, str] = field(default_factory=dict)
    """How each unquoted non-string scalar was written (`Yes`, `2019`), for text fields."""

    def is_refused(self, loc: Loc) -> bool:
        """True when `loc` lies in a value already reported as a problem."""
        return any(tuple(loc[:end]) in self.refused for end in range(len(loc) + 1))

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1

    def problem(self, loc: Loc, message: str, *, line: int | None = None) -> str:
        """A one-line problem report: `FILE:LINE: field: message`."""
        where = line if line is not None else self.line_of(loc)
        return f"{self.path}:{where}: {format_loc(loc)}: {message}"


class YamlFileError(Exception):
    """The file could not be read as YAML; `problems` are ready-to-print lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid YAML")
        self.problems = problems


def read_yaml_text(path: Path) -> tuple[bytes, str]:
    """Read a file as bytes and UTF-8 text, with one-line errors for the usual failures."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlFileError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise YamlFileError([f"{path}: is a directory, expected a YAML file"]) from None
    except PermissionError:
        raise YamlFileError([f"{path}: permission denied"]) from None
    except OSError as exc:
        raise YamlFileError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise YamlFileError(
            [f"{path}:{line}: encoding: not valid UTF-8 (byte 0x{byte}); save the file as UTF-8"]
        ) from None
    return raw, text.removeprefix("\ufeff")


def parse_yaml(path: Path, text: str) -> YamlDocument:
    """Parse YAML text into plain values with a line index.

    Raises YamlFileError when nothing can be read (syntax errors, an empty file); values it
    refuses are listed in the document's `problems` and left out of its data.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join((exc.problem or "invalid YAML").split())
        context = f" ({' '.join(exc.context.split())})" if exc.context else ""
        raise YamlFileError([f"{path}:{line}: syntax: {what}{context}"]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlFileError(
            [
                f"{path}:{line}: syntax: {exc.reason}"
                f" (character {_codepoint(exc.character)}, which YAML does not allow)"
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlFileError([f"{path}:1: syntax: {' '.join(str(exc).split())}"]) from None
    if root is None:
        raise YamlFileError([f"{path}:1: (top level): the file is empty"])
    builder = _Builder(path)
    data = builder.build(root, ())
    return YamlDocument(
        path=path,
        data=data,
        lines=builder.lines,
        problems=builder.problems,
        refused=builder.refused,
        source_text=builder.source_text,
    )


def _codepoint(character: object) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def load_yaml(path: Path) -> YamlDocument:
    """Read and parse one YAML file; any refused value is an error."""
    _, text = read_yaml_text(path)
    doc = parse_yaml(path, text)
    if doc.problems:
        raise YamlFileError(doc.problems)
    return doc


class _Builder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.problems: list[str] = []
        self.refused: set[Loc] = set()
        self.source_text: dict[Loc, str] = {}
        self._seen: set[int] = set()

    def _problem(self, node: yaml.Node, loc: Loc, message: str, *, at_node: bool = False) -> None:
        self.refused.add(loc)
        # An alias node is the anchored node itself, so prefer the line where its key stands.
        line = node.start_mark.line + 1 if at_node else self.lines.get(loc, node.start_mark.line + 1)
        self.problems.append(f"{self.path}:{line}: {format_loc(loc)}: {message}")

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self._seen:
            self._problem(node, loc, "aliases (*name) are not allowed; write the value out")
            return None
        self._seen.add(id(node))
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem(node, loc, f"tag {node.tag} is not allowed")
                return None
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any] | None:
        if node.tag != _MAP_TAG:
            self._problem(node, loc, f"tag {node.tag} is not allowed")
            return None
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, loc, "merge keys (<<) are not allowed")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, loc, "keys must be plain text")
                continue
            key = self._scalar(key_node, loc)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in result:
                message = f"duplicate key (first given on line {first_line[key]})"
                self._problem(key_node, (*loc, key), message, at_node=True)
                continue
            first_line[key] = line
            self.lines[(*loc, key)] = line
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._problem(node, loc, f"tag {node.tag} is not allowed")
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.source_text[loc] = node.value
        if node.tag == _TIMESTAMP_TAG:
            # Kept as the text it was (`2027-01-15`, `2027-02-30`, `2027-01-05T10:00`): the one date
            # rule (`leadcli.dates`) reads it, so an unquoted date gets the same checks and the same
            # message as a quoted one, beside the file's other problems.
            return node.value
        try:
            return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
        except (ValueError, yaml.YAMLError) as exc:
            self._problem(node, loc, f"cannot read value {node.value!r}: {exc}")
            return None
