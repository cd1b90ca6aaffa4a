"""Text from outside (keyboard, answers files, imports, data folders) is hostile until shown otherwise.

On the way in, `clean_input` drops NUL, which no note needs; everything else is kept exactly as
given, so nothing a user typed is lost. On the way out, `visible` is the one function that turns
terminal escapes (ESC, CSI, OSC), other C0/C1 controls, bidi overrides and lone surrogates into
visible escapes such as `\\x1b`; every renderer and every stderr message uses it, and JSON output
uses `json_escaped`. No rich import: core modules and every output format share it.
"""

from __future__ import annotations

import re
from typing import Any


def clean_input(text: str) -> str:
    """`text` without NUL characters (which no note needs and which cut strings short in C tools)."""
    return text.replace("\x00", "") if "\x00" in text else text


def clean_data(value: Any) -> Any:
    """Parsed YAML or JSON with `clean_input` applied to every string, keys included."""
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value


# C0 controls except TAB and LF, DEL and C1, the bidi embeddings/overrides/isolates, lone surrogates.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_KEEP_LINES = re.compile(f"[{_CONTROLS}]")
_UNSAFE_ONE_LINE = re.compile(f"[\t\n{_CONTROLS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str, *, lines: bool = True) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), never obeyed.

    With `lines`, newlines and tabs stay as they are and a Windows line end counts as a newline;
    without, the result is one line (`\\n`, `\\t` shown).
    """
    if lines:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        pattern = _UNSAFE_KEEP_LINES
    else:
        pattern = _UNSAFE_ONE_LINE
    if pattern.search(text) is None:  # the common case: nothing to do, no copy
        return text
    return pattern.sub(_shown, text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_escaped(dumped: str) -> str:
    """JSON text (from `json.dumps(ensure_ascii=False)`) with the controls JSON leaves raw as `\\uXXXX`.

    The data stays exactly the same; only its spelling changes (JSON already escapes C0).
    """
    if _JSON_UNSAFE.search(dumped) is None:
        return dumped
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
