"""Neutralising text from outside before any output shows it (no rich import: used by every format).

A note, a name or an imported field may hold terminal escapes (ESC, CSI, OSC), other C0/C1
controls, NUL, bidi overrides or lone surrogates. `visible()` is the one function that turns each
into a visible escape such as `\\x1b` or `\\u202e`; every renderer and every stderr message uses it.
"""

from __future__ import annotations

import re

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
